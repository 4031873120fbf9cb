using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

internal sealed class MongoMemoryStore(MongoStore store) : IMemoryStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    public Task AddAsync(MemoryRecord memory, CancellationToken cancellationToken) =>
        store.RunAsync(() => store.Memories.InsertOneAsync(MemoryMapping.ToDocument(memory), options: null, cancellationToken), cancellationToken);

    public Task<MemoryRecord?> GetAsync(string memoryId, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var document = await store.Memories.Find(Filter.Eq(MemoryMapping.Id, memoryId)).FirstOrDefaultAsync(cancellationToken);
            return document is null ? null : MemoryMapping.FromDocument(document);
        }, cancellationToken);

    public Task<IReadOnlyList<MemoryRecord>> ListAsync(string? workspace, int limit, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<MemoryRecord>>(async () =>
        {
            // Mongo reads a limit of 0 as "no limit"; SQLite, like the caller, as "none".
            if (limit == 0)
            {
                return [];
            }

            var filter = workspace is null
                ? Filter.Empty
                : Filter.Eq(MemoryMapping.Workspace, workspace) | Filter.Eq(MemoryMapping.Scope, MemoryMapping.GlobalScope);
            var documents = await store.Memories
                .Find(filter)
                .Sort(Builders<BsonDocument>.Sort.Descending(MemoryMapping.CreatedAt).Descending(MemoryMapping.Id))
                .Limit(limit)
                .ToListAsync(cancellationToken);
            return [.. documents.Select(MemoryMapping.FromDocument)];
        }, cancellationToken);
}
