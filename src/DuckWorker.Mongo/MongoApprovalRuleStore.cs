using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
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
}
