using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

internal sealed class MongoApprovalRuleStore(MongoStore store) : IApprovalRuleStore
{
    public Task AddAsync(ApprovalRule rule, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            try
            {
                await store.ApprovalRules.InsertOneAsync(ApprovalRuleMapping.ToDocument(rule), options: null, cancellationToken);
            }
            catch (MongoWriteException ex) when (MongoErrors.IsDuplicateKey(ex))
            {
                // The unique (workspace, tool, key) index already holds this rule: the first one stays.
            }
        }, cancellationToken);

    public Task<bool> ExistsAsync(string workspace, NormalizedAction action, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
            await store.ApprovalRules.CountDocumentsAsync(ApprovalRuleMapping.Match(workspace, action), new CountOptions { Limit = 1 }, cancellationToken) > 0,
            cancellationToken);

    public Task<IReadOnlyList<ApprovalRule>> ListAsync(CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<ApprovalRule>>(async () =>
        {
            var documents = await store.ApprovalRules
                .Find(FilterDefinition<BsonDocument>.Empty)
                .Sort(Builders<BsonDocument>.Sort.Ascending(ApprovalRuleMapping.CreatedAt).Ascending(ApprovalRuleMapping.ApprovalId))
                .ToListAsync(cancellationToken);
            return documents.ConvertAll(ApprovalRuleMapping.FromDocument);
        }, cancellationToken);

    public Task<bool> RevokeAsync(string approvalId, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
            (await store.ApprovalRules.DeleteOneAsync(ApprovalRuleMapping.ByApproval(approvalId), cancellationToken)).DeletedCount > 0,
            cancellationToken);
}
