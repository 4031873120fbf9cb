using System.Text.RegularExpressions;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

internal sealed class MongoMemoryStore(MongoStore store, MongoVectorSearch vectors) : IMemoryStore
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

    public Task<IReadOnlyList<MemoryRecord>> ListAsync(string? workspace, string? scope, string? text, int limit, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<MemoryRecord>>(async () =>
        {
            if (ListLimits.ListsNothing(limit))
            {
                return [];
            }

            var filter = workspace is null
                ? Filter.Empty
                : Filter.Eq(MemoryMapping.Workspace, workspace) | Filter.Eq(MemoryMapping.Scope, MemoryMapping.GlobalScope);
            if (scope is not null)
            {
                filter &= Filter.Eq(MemoryMapping.Scope, scope);
            }

            if (text is not null)
            {
                // Escaped: the person's text is matched as text, never as a pattern.
                filter &= Filter.Regex(MemoryMapping.Text, new BsonRegularExpression(Regex.Escape(text), "i"));
            }

            var documents = await store.Memories
                .Find(filter)
                .Sort(Builders<BsonDocument>.Sort.Descending(MemoryMapping.CreatedAt).Descending(MemoryMapping.Id))
                .LimitedTo(limit)
                .ToListAsync(cancellationToken);
            return [.. documents.Select(MemoryMapping.FromDocument)];
        }, cancellationToken);

    public Task<bool> UpdateAsync(MemoryRecord memory, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var document = MemoryMapping.ToDocument(memory);
            var update = Builders<BsonDocument>.Update
                .Set(MemoryMapping.MemoryType, document[MemoryMapping.MemoryType])
                .Set(MemoryMapping.Text, document[MemoryMapping.Text])
                .Set(MemoryMapping.Importance, document[MemoryMapping.Importance])
                .Set(MemoryMapping.Metadata, document[MemoryMapping.Metadata])
                .Set(MemoryMapping.UpdatedAt, document[MemoryMapping.UpdatedAt]);
            update = document.TryGetValue(MemoryMapping.Embedding, out var vector)
                ? update.Set(MemoryMapping.Embedding, vector)
                : update.Unset(MemoryMapping.Embedding);
            update = document.TryGetValue(MemoryMapping.EmbeddedBy, out var embeddedBy)
                ? update.Set(MemoryMapping.EmbeddedBy, embeddedBy)
                : update.Unset(MemoryMapping.EmbeddedBy);
            var result = await store.Memories.UpdateOneAsync(Filter.Eq(MemoryMapping.Id, memory.MemoryId), update, cancellationToken: cancellationToken);
            return result.MatchedCount == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListIdsNotEmbeddedByAsync(string? embeddedBy, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<string>>(async () =>
        {
            // $ne also matches a document without the field: no vector, or one stored before vectors named their embedder.
            var filter = embeddedBy is null ? Filter.Empty : Filter.Ne(MemoryMapping.EmbeddedBy, embeddedBy);
            var ids = await store.Memories.Find(filter)
                .Project(Builders<BsonDocument>.Projection.Include(MemoryMapping.Id))
                .Sort(Builders<BsonDocument>.Sort.Ascending(MemoryMapping.Id))
                .ToListAsync(cancellationToken);
            return [.. ids.Select(id => id[MemoryMapping.Id].AsString)];
        }, cancellationToken);

    public Task<bool> SetEmbeddingAsync(string memoryId, string text, float[] embedding, string embeddedBy, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var fields = MemoryMapping.EmbeddingFields(embedding, embeddedBy);
            var update = Builders<BsonDocument>.Update
                .Set(MemoryMapping.Embedding, fields[MemoryMapping.Embedding])
                .Set(MemoryMapping.EmbeddedBy, fields[MemoryMapping.EmbeddedBy]);
            var result = await store.Memories.UpdateOneAsync(Filter.Eq(MemoryMapping.Id, memoryId) & Filter.Eq(MemoryMapping.Text, text), update, cancellationToken: cancellationToken);
            return result.MatchedCount == 1;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string memoryId, CancellationToken cancellationToken) =>
        store.RunAsync(async () => (await store.Memories.DeleteOneAsync(Filter.Eq(MemoryMapping.Id, memoryId), cancellationToken)).DeletedCount == 1, cancellationToken);

    public Task<IReadOnlyList<Scored<MemoryRecord>>> SearchAsync(string workspace, string embeddedBy, ReadOnlyMemory<float> vector, int limit, double minScore, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<Scored<MemoryRecord>>>(async () =>
        {
            var scope = (Filter.Eq(MemoryMapping.Workspace, workspace) | Filter.Eq(MemoryMapping.Scope, MemoryMapping.GlobalScope))
                & Filter.Eq(MemoryMapping.EmbeddedBy, embeddedBy);
            // workspace, scope and embeddedBy are the filter fields the Atlas index declares (see README).
            var found = await vectors.TopAsync(store.Memories, MemoryMapping.Embedding, scope, otherFilter: null, vector, limit, minScore, cancellationToken);
            return [.. found.Select(hit => new Scored<MemoryRecord>(MemoryMapping.FromDocument(hit.Document), hit.Score))];
        }, cancellationToken);
}
