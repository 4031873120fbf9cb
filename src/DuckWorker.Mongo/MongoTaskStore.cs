using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

internal sealed class MongoTaskStore(MongoStore store) : ITaskStore
{
    private static readonly FilterDefinitionBuilder<BsonDocument> Filter = Builders<BsonDocument>.Filter;
    private static readonly UpdateDefinitionBuilder<BsonDocument> Update = Builders<BsonDocument>.Update;
    private static readonly FindOneAndUpdateOptions<BsonDocument> ReturnUpdated = new() { ReturnDocument = ReturnDocument.After };

    public Task<AgentTask> CreateAsync(AgentTask task, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var document = TaskMapping.ToDocument(task);
            try
            {
                await store.Tasks.InsertOneAsync(document, options: null, cancellationToken);
                return TaskMapping.FromDocument(document);
            }
            catch (MongoWriteException ex) when (MongoErrors.IsDuplicateKey(ex))
            {
                // The unique job id decides which of two racing creators wins; the loser reads the winner. The same
                // holds for an insert sent again after its answer was lost: it finds its own task.
                return await FindOneAsync(Filter.Eq(TaskMapping.JobId, task.JobId), cancellationToken)
                    ?? throw new InvalidOperationException($"Task id {task.TaskId} is taken by another job than {task.JobId}.", ex);
            }
        }, cancellationToken);

    public Task<AgentTask?> GetAsync(string taskId, CancellationToken cancellationToken) =>
        store.RunAsync(() => FindOneAsync(Filter.Eq(TaskMapping.Id, taskId), cancellationToken), cancellationToken);

    public Task<AgentTask?> FindByJobIdAsync(string jobId, CancellationToken cancellationToken) =>
        store.RunAsync(() => FindOneAsync(Filter.Eq(TaskMapping.JobId, jobId), cancellationToken), cancellationToken);

    public Task<CancelRequest?> GetCancelRequestAsync(string taskId, CancellationToken cancellationToken) =>
        store.RunAsync(
            async () =>
            {
                var document = await store.Tasks.Find(Filter.Eq(TaskMapping.Id, taskId))
                    .Project(Builders<BsonDocument>.Projection.Include(TaskMapping.CancelRequest))
                    .FirstOrDefaultAsync(cancellationToken);
                return document is null ? null : TaskMapping.CancelRequestOf(document);
            },
            cancellationToken);

    public Task<IReadOnlyList<AgentTask>> ListAsync(TaskFilter filter, int limit, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<AgentTask>>(async () =>
        {
            if (ListLimits.ListsNothing(limit))
            {
                return [];
            }

            var wanted = Filter.Empty;
            if (filter.Status is { } status)
            {
                wanted &= Filter.Eq(TaskMapping.Status, WireName.Of(status));
            }

            if (filter.Workspace is { } workspace)
            {
                wanted &= Filter.Eq(TaskMapping.Workspace, workspace);
            }

            if (filter.CreatedFrom is { } from)
            {
                wanted &= Filter.Gte(TaskMapping.CreatedAt, BsonFields.Time(from));
            }

            if (filter.CreatedBefore is { } before)
            {
                wanted &= Filter.Lt(TaskMapping.CreatedAt, BsonFields.Time(before));
            }

            var documents = await store.Tasks
                .Find(wanted)
                .Sort(Builders<BsonDocument>.Sort.Descending(TaskMapping.CreatedAt).Descending(TaskMapping.Id))
                .LimitedTo(limit)
                .ToListAsync(cancellationToken);
            return [.. documents.Select(TaskMapping.FromDocument)];
        }, cancellationToken);

    public Task<bool> TryTransitionAsync(AgentTask updated, AgentTaskStatus expected, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var result = await store.Tasks.UpdateOneAsync(
                Filter.Eq(TaskMapping.Id, updated.TaskId) & Filter.Eq(TaskMapping.Status, WireName.Of(expected)),
                Update
                    .Set(TaskMapping.Status, WireName.Of(updated.Status))
                    .Set(TaskMapping.FinalResponse, BsonFields.Text(updated.FinalResponse))
                    .Set(TaskMapping.ReasoningContent, BsonFields.Text(updated.ReasoningContent))
                    .Set(TaskMapping.Error, BsonFields.Text(updated.Error))
                    .Set(TaskMapping.Attempts, updated.Attempts)
                    .Set(TaskMapping.UpdatedAt, BsonFields.Time(updated.UpdatedAt)),
                options: null,
                cancellationToken);
            return result.MatchedCount == 1;
        }, cancellationToken);

    public Task<AgentTask?> TryAcquireLeaseAsync(string taskId, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            // One atomic findAndModify: of racing runs exactly one matches the free lease and counts its attempt.
            var document = await store.Tasks.FindOneAndUpdateAsync(
                Filter.Eq(TaskMapping.Id, taskId)
                    & (Filter.Eq(TaskMapping.LeaseExpiresAt, BsonNull.Value) | Filter.Lt(TaskMapping.LeaseExpiresAt, BsonFields.Time(now))),
                Update
                    .Set(TaskMapping.LeaseOwner, owner)
                    .Set(TaskMapping.LeaseExpiresAt, BsonFields.Time(until))
                    .Inc(TaskMapping.Attempts, 1),
                ReturnUpdated,
                cancellationToken);
            return document is null ? null : TaskMapping.FromDocument(document);
        }, cancellationToken);

    public Task<bool> RenewLeaseAsync(string taskId, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var result = await store.Tasks.UpdateOneAsync(
                Filter.Eq(TaskMapping.Id, taskId) & Filter.Eq(TaskMapping.LeaseOwner, owner),
                Update.Set(TaskMapping.LeaseExpiresAt, BsonFields.Time(until)),
                options: null,
                cancellationToken);
            return result.MatchedCount == 1;
        }, cancellationToken);

    public Task ReleaseLeaseAsync(string taskId, string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.RunAsync(() => store.Tasks.UpdateOneAsync(
            Filter.Eq(TaskMapping.Id, taskId) & Filter.Eq(TaskMapping.LeaseOwner, owner),
            Update.Set(TaskMapping.LeaseExpiresAt, BsonFields.Time(now)),
            options: null,
            cancellationToken), cancellationToken);

    public Task<IReadOnlyList<AgentTask>> ListExpiredLeasesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<AgentTask>>(async () =>
        {
            if (ListLimits.ListsNothing(limit))
            {
                return [];
            }

            // $lt on a date never matches null, so tasks that never held a lease are not listed.
            var documents = await store.Tasks
                .Find(Filter.Eq(TaskMapping.Status, WireName.Of(AgentTaskStatus.Running)) & Filter.Lt(TaskMapping.LeaseExpiresAt, BsonFields.Time(now)))
                .Sort(Builders<BsonDocument>.Sort.Ascending(TaskMapping.LeaseExpiresAt).Ascending(TaskMapping.Id))
                .LimitedTo(limit)
                .ToListAsync(cancellationToken);
            return [.. documents.Select(TaskMapping.FromDocument)];
        }, cancellationToken);

    public Task<IReadOnlyList<AgentTask>> ListWaitingOnDecidedApprovalAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        store.RunAsync<IReadOnlyList<AgentTask>>(async () =>
        {
            if (ListLimits.ListsNothing(limit))
            {
                return [];
            }

            const string Joined = "duckApprovals";
            var waiting = Filter.Eq(TaskMapping.Status, WireName.Of(AgentTaskStatus.WaitingForApproval))
                & (Filter.Eq(TaskMapping.LeaseExpiresAt, BsonNull.Value) | Filter.Lt(TaskMapping.LeaseExpiresAt, BsonFields.Time(now)));

            // {decision: null, closedReason: null} matches a pending approval (null or missing fields); the join uses approvals_by_task.
            var documents = await store.Tasks.Aggregate()
                .Match(waiting)
                .AppendStage<BsonDocument>(new BsonDocument("$lookup", new BsonDocument
                {
                    { "from", store.Approvals.CollectionNamespace.CollectionName },
                    { "localField", TaskMapping.Id },
                    { "foreignField", ApprovalMapping.TaskId },
                    { "as", Joined },
                }))
                .AppendStage<BsonDocument>(new BsonDocument("$match", new BsonDocument
                {
                    { Joined + ".0", new BsonDocument("$exists", true) },
                    { Joined, new BsonDocument("$not", new BsonDocument("$elemMatch", new BsonDocument { { ApprovalMapping.Decision, BsonNull.Value }, { ApprovalMapping.ClosedReason, BsonNull.Value } })) },
                }))
                .AppendStage<BsonDocument>(new BsonDocument("$project", new BsonDocument(Joined, 0)))
                .Sort(Builders<BsonDocument>.Sort.Ascending(TaskMapping.UpdatedAt).Ascending(TaskMapping.Id))
                .LimitedTo(limit)
                .ToListAsync(cancellationToken);
            return [.. documents.Select(TaskMapping.FromDocument)];
        }, cancellationToken);

    public Task<AgentTask?> TryRequestCancelAsync(string taskId, CancelRequest request, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            var unfinished = Filter.Eq(TaskMapping.Id, taskId)
                & Filter.In(TaskMapping.Status, new[] { WireName.Of(AgentTaskStatus.Running), WireName.Of(AgentTaskStatus.WaitingForApproval) });

            // The first request stands: a second one matches no unasked task and only reads the task back.
            var document = await store.Tasks.FindOneAndUpdateAsync(
                unfinished & Filter.Eq(TaskMapping.CancelRequest, BsonNull.Value),
                Update.Set(TaskMapping.CancelRequest, TaskMapping.ToDocument(request)),
                ReturnUpdated,
                cancellationToken);
            document ??= await store.Tasks.Find(unfinished).FirstOrDefaultAsync(cancellationToken);
            return document is null ? null : TaskMapping.FromDocument(document);
        }, cancellationToken);

    private async Task<AgentTask?> FindOneAsync(FilterDefinition<BsonDocument> filter, CancellationToken cancellationToken)
    {
        var document = await store.Tasks.Find(filter).FirstOrDefaultAsync(cancellationToken);
        return document is null ? null : TaskMapping.FromDocument(document);
    }
}
