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

    public Task<IReadOnlyList<string>> ListLessonIdsNotEmbeddedByAsync(string? embeddedBy, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<string>>(async () =>
        {
            // $ne also matches a document without the field: no vector, or one stored before vectors named their embedder.
            var filter = Builders<BsonDocument>.Filter.Ne(ExperienceMapping.ReusableLesson, BsonNull.Value);
            if (embeddedBy is not null)
            {
                filter &= Builders<BsonDocument>.Filter.Ne(ExperienceMapping.LessonEmbeddedBy, embeddedBy);
            }

            var ids = await store.Experiences.Find(filter)
                .Project(Builders<BsonDocument>.Projection.Include(ExperienceMapping.Id))
                .Sort(Builders<BsonDocument>.Sort.Ascending(ExperienceMapping.Id))
                .ToListAsync(cancellationToken);
            return [.. ids.Select(id => id[ExperienceMapping.Id].AsString)];
        }, cancellationToken);

    public Task<bool> SetLessonEmbeddingAsync(string recordId, float[] embedding, string embeddedBy, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var fields = ExperienceMapping.LessonEmbeddingFields(embedding, embeddedBy);
            var update = Builders<BsonDocument>.Update
                .Set(ExperienceMapping.LessonEmbedding, fields[ExperienceMapping.LessonEmbedding])
                .Set(ExperienceMapping.LessonEmbeddedBy, fields[ExperienceMapping.LessonEmbeddedBy]);
            var result = await store.Experiences.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq(ExperienceMapping.Id, recordId), update, cancellationToken: cancellationToken);
            return result.MatchedCount == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<Scored<ExperienceRecord>>> SearchLessonsAsync(string embeddedBy, ReadOnlyMemory<float> vector, int limit, double minScore, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<Scored<ExperienceRecord>>>(async () =>
        {
            var sameEmbedder = Builders<BsonDocument>.Filter.Eq(ExperienceMapping.LessonEmbeddedBy, embeddedBy);
            var withLesson = Builders<BsonDocument>.Filter.Ne(ExperienceMapping.ReusableLesson, BsonNull.Value);
            // lessonEmbeddedBy is a filter field of the Atlas index (see README); reusableLesson is not, so it is applied after the search.
            var found = await vectors.TopAsync(store.Experiences, ExperienceMapping.LessonEmbedding, sameEmbedder, withLesson, vector, limit, minScore, cancellationToken);
            return [.. found.Select(hit => new Scored<ExperienceRecord>(ExperienceMapping.FromDocument(hit.Document), hit.Score))];
        }, cancellationToken);
}
