using DuckWorker.Mongo.Mapping;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo.Indexes;

/// <summary>
/// The indexes of every collection. The unique ones are guards: one task per job id, one event per task and
/// seq, one rule per workspace and action. The others serve the adapters' queries, each named after it.
/// </summary>
internal static class MongoIndexes
{
    public static IReadOnlyList<(IMongoCollection<BsonDocument> Collection, IReadOnlyList<MongoIndex> Indexes)> Of(MongoStore store) =>
    [
        (store.Tasks,
        [
            new("tasks_by_job", new BsonDocument(TaskMapping.JobId, 1), Unique: true),
            new("tasks_by_status", new BsonDocument { { TaskMapping.Status, 1 }, { TaskMapping.UpdatedAt, 1 } }),
            // The lease sweeper's query: running tasks whose lease expired, oldest first.
            new("tasks_by_lease", new BsonDocument { { TaskMapping.Status, 1 }, { TaskMapping.LeaseExpiresAt, 1 } }),
            // The task listing (`duck tasks list`, the console's board): the newest first, all, or of one status or
            // workspace, each walked from its newest end to the page's size instead of sorting the collection.
            new("tasks_by_created", new BsonDocument { { TaskMapping.CreatedAt, -1 }, { TaskMapping.Id, -1 } }),
            new("tasks_by_status_created", new BsonDocument { { TaskMapping.Status, 1 }, { TaskMapping.CreatedAt, -1 }, { TaskMapping.Id, -1 } }),
            new("tasks_by_workspace_created", new BsonDocument { { TaskMapping.Workspace, 1 }, { TaskMapping.CreatedAt, -1 }, { TaskMapping.Id, -1 } }),
        ]),
        (store.Events,
        [
            new("events_by_task_seq", new BsonDocument { { EventMapping.TaskId, 1 }, { EventMapping.Seq, 1 } }, Unique: true),
        ]),
        (store.Approvals,
        [
            new("approvals_by_task", new BsonDocument { { ApprovalMapping.TaskId, 1 }, { ApprovalMapping.CreatedAt, 1 } }),
            // Pending approvals, oldest first: `duck approvals list` and the expiry sweeper.
            new("approvals_pending", new BsonDocument { { ApprovalMapping.Decision, 1 }, { ApprovalMapping.CreatedAt, 1 } }),
        ]),
        (store.ApprovalRules,
        [
            new("rules_by_action", new BsonDocument { { ApprovalRuleMapping.Workspace, 1 }, { ApprovalRuleMapping.Tool, 1 }, { ApprovalRuleMapping.Key, 1 } }, Unique: true),
            new("rules_by_approval", new BsonDocument(ApprovalRuleMapping.ApprovalId, 1)),
        ]),
        (store.Memories,
        [
            new("memories_by_workspace", new BsonDocument { { MemoryMapping.Workspace, 1 }, { MemoryMapping.CreatedAt, 1 } }),
            new("memories_by_scope", new BsonDocument { { MemoryMapping.Scope, 1 }, { MemoryMapping.CreatedAt, 1 } }),
            new("memories_by_time", new BsonDocument(MemoryMapping.CreatedAt, 1)),
        ]),
        (store.Experiences,
        [
            new("experiences_by_task", new BsonDocument(ExperienceMapping.TaskId, 1)),
        ]),
    ];
}
