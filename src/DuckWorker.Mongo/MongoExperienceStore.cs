using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

internal sealed class MongoExperienceStore(MongoStore store, MongoVectorSearch vectors) : IExperienceStore
{
    public Task AddAsync(ExperienceRecord record, CancellationToken cancellationToken) =>
        store.RunAsync(() => store.Experiences.InsertOneAsync(ExperienceMapping.ToDocument(record), options: null, cancellationToken), cancellationToken);

    public Task<ExperienceRecord?> GetAsync(string recordId, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var document = await store.Experiences.Find(Builders<BsonDocument>.Filter.Eq(ExperienceMapping.Id, recordId)).FirstOrDefaultAsync(cancellationToken);
            return document is null ? null : ExperienceMapping.FromDocument(document);
        }, cancellationToken);

    public Task<IReadOnlyList<Scored<ExperienceRecord>>> SearchLessonsAsync(ReadOnlyMemory<float> vector, int limit, double minScore, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<Scored<ExperienceRecord>>>(async () =>
        {
            var withLesson = Builders<BsonDocument>.Filter.Ne(ExperienceMapping.ReusableLesson, BsonNull.Value);
            // Not a filter field of the Atlas index: applied after the search.
            var found = await vectors.TopAsync(store.Experiences, ExperienceMapping.LessonEmbedding, indexedFilter: null, withLesson, vector, limit, minScore, cancellationToken);
            return [.. found.Select(hit => new Scored<ExperienceRecord>(ExperienceMapping.FromDocument(hit.Document), hit.Score))];
        }, cancellationToken);
}
