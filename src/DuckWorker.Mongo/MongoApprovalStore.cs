using System.Text.Json.Nodes;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

internal sealed class MongoApprovalStore(MongoStore store) : IApprovalStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;

    // A null or missing field matches null: approvals written before closing existed count as not closed.
    private static readonly FilterDefinition<BsonDocument> Pending =
        Filter.Eq(ApprovalMapping.Decision, BsonNull.Value) & Filter.Eq(ApprovalMapping.ClosedReason, BsonNull.Value);

    public Task CreateAsync(Approval approval, CancellationToken cancellationToken) =>
        store.RunAsync(() => store.Approvals.InsertOneAsync(ApprovalMapping.ToDocument(approval), options: null, cancellationToken), cancellationToken);

    public Task<Approval?> GetAsync(string approvalId, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var document = await store.Approvals.Find(Filter.Eq(ApprovalMapping.Id, approvalId)).FirstOrDefaultAsync(cancellationToken);
            return document is null ? null : ApprovalMapping.FromDocument(document);
        }, cancellationToken);

    public Task<Approval?> FindPendingAsync(string taskId, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var document = await store.Approvals
                .Find(Filter.Eq(ApprovalMapping.TaskId, taskId) & Pending)
                .Sort(Builders<BsonDocument>.Sort.Descending(ApprovalMapping.CreatedAt).Descending(ApprovalMapping.Id))
                .FirstOrDefaultAsync(cancellationToken);
            return document is null ? null : ApprovalMapping.FromDocument(document);
        }, cancellationToken);

    public Task<IReadOnlyList<Approval>> ListPendingAsync(int limit, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<Approval>>(async () =>
        {
            if (ListLimits.ListsNothing(limit))
            {
                return [];
            }

            var documents = await store.Approvals
                .Find(Pending)
                .Sort(Builders<BsonDocument>.Sort.Ascending(ApprovalMapping.CreatedAt).Ascending(ApprovalMapping.Id))
                .LimitedTo(limit)
                .ToListAsync(cancellationToken);
            return documents.ConvertAll(ApprovalMapping.FromDocument);
        }, cancellationToken);

    public Task<Approval?> TryDecideAsync(
        string approvalId,
        ApprovalDecision decision,
        string decidedBy,
        DateTimeOffset decidedAt,
        string? comment,
        JsonObject? editedArgs,
        CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            // One findAndModify decides and reads back, so of two racing decisions exactly one gets the approval.
            var document = await store.Approvals.FindOneAndUpdateAsync(
                Filter.Eq(ApprovalMapping.Id, approvalId) & Pending,
                Builders<BsonDocument>.Update
                    .Set(ApprovalMapping.Decision, WireName.Of(decision))
                    .Set(ApprovalMapping.DecidedBy, decidedBy)
                    .Set(ApprovalMapping.DecidedAt, BsonFields.Time(decidedAt))
                    .Set(ApprovalMapping.Comment, BsonFields.Text(comment))
                    .Set(ApprovalMapping.EditedArgs, ApprovalMapping.EditedArgsValue(editedArgs)),
                new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After },
                cancellationToken);
            return document is null ? null : ApprovalMapping.FromDocument(document);
        }, cancellationToken);

    public Task<Approval?> TryCloseAsync(string approvalId, string reason, DateTimeOffset closedAt, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            // The same guard as a decision's: of a close and a decision racing, exactly one gets the approval.
            var document = await store.Approvals.FindOneAndUpdateAsync(
                Filter.Eq(ApprovalMapping.Id, approvalId) & Pending,
                Builders<BsonDocument>.Update
                    .Set(ApprovalMapping.ClosedReason, reason)
                    .Set(ApprovalMapping.ClosedAt, BsonFields.Time(closedAt)),
                new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After },
                cancellationToken);
            return document is null ? null : ApprovalMapping.FromDocument(document);
        }, cancellationToken);
}
