using DuckWorker.Mongo.Mapping;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

/// <summary>The events collection as <see cref="EventSequencer"/> uses it; every read goes to the primary, which holds every acknowledged insert.</summary>
internal sealed class MongoEventRows(MongoStore store) : IEventRows
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly ProjectionDefinition<BsonDocument> SeqOnly = Builders<BsonDocument>.Projection.Include(EventMapping.Seq).Exclude(EventMapping.Id);

    public async Task<long> LastSeqAsync(string taskId, CancellationToken cancellationToken)
    {
        // Served by the unique (taskId, seq) index, read backwards: one key.
        var last = await store.Events
            .Find(Filter.Eq(EventMapping.TaskId, taskId))
            .Sort(Builders<BsonDocument>.Sort.Descending(EventMapping.Seq))
            .Project(SeqOnly)
            .Limit(1)
            .FirstOrDefaultAsync(cancellationToken);
        return last is null ? 0 : last[EventMapping.Seq].ToInt64();
    }

    public async Task<bool> TryInsertAsync(BsonDocument document, CancellationToken cancellationToken)
    {
        try
        {
            await store.Events.InsertOneAsync(document, options: null, cancellationToken);
            return true;
        }
        catch (MongoWriteException ex) when (MongoErrors.IsDuplicateKey(ex))
        {
            return false;
        }
    }

    public async Task<long?> SeqOfAsync(BsonValue id, CancellationToken cancellationToken)
    {
        var stored = await store.Events.Find(Filter.Eq(EventMapping.Id, id)).Project(SeqOnly).FirstOrDefaultAsync(cancellationToken);
        return stored?[EventMapping.Seq].ToInt64();
    }
}
