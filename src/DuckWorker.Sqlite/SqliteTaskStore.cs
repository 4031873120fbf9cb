using System.Text.Json;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

internal sealed class SqliteTaskStore(SqliteDatabase database) : ITaskStore
{
    private const string Columns = """
        task_id, job_id, message, workspace, debug, status, final_response, reasoning_content, error,
        context, reasoning, reflect, reply_to, lease_owner, lease_expires_at, attempts, cancel_requested_by, cancel_reason,
        cancel_requested_at, created_at, updated_at
        """;

    public Task<AgentTask> CreateAsync(AgentTask task, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            // The unique job id decides which of two racing creators wins; both then read the winner.
            await using (var insert = connection.Command(
                $"INSERT INTO tasks ({Columns}) VALUES ($id, $job, $message, $workspace, $debug, $status, $final, $reasoningContent, $error, $context, $reasoning, $reflect, $replyTo, $leaseOwner, $leaseExpires, $attempts, $cancelBy, $cancelReason, $cancelAt, $created, $updated) ON CONFLICT (job_id) DO NOTHING;",
                ("$id", task.TaskId),
                ("$job", task.JobId),
                ("$message", task.Message),
                ("$workspace", task.Workspace),
                ("$debug", task.Debug),
                ("$status", WireName.Of(task.Status)),
                ("$final", task.FinalResponse),
                ("$reasoningContent", task.ReasoningContent),
                ("$error", task.Error),
                ("$context", JsonSerializer.Serialize(task.Context, JsonSerializerOptions.Web)),
                ("$reasoning", task.Reasoning is { } mode ? WireName.Of(mode) : null),
                ("$reflect", task.Reflect),
                ("$replyTo", task.ReplyTo),
                ("$leaseOwner", task.LeaseOwner),
                ("$leaseExpires", task.LeaseExpiresAt is { } expires ? SqliteCommands.Time(expires) : null),
                ("$attempts", task.Attempts),
                ("$cancelBy", task.CancelRequest?.By),
                ("$cancelReason", task.CancelRequest?.Reason),
                ("$cancelAt", task.CancelRequest is { } cancel ? SqliteCommands.Time(cancel.At) : null),
                ("$created", SqliteCommands.Time(task.CreatedAt)),
                ("$updated", SqliteCommands.Time(task.UpdatedAt))))
            {
                if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    // Stored as given: the common case reads nothing back.
                    return task;
                }
            }

            return (await SelectAsync(connection, "job_id = $key", task.JobId, cancellationToken))!;
        }, cancellationToken);

    public Task<AgentTask?> GetAsync(string taskId, CancellationToken cancellationToken) =>
        database.RunAsync(connection => SelectAsync(connection, "task_id = $key", taskId, cancellationToken), cancellationToken);

    public Task<AgentTask?> FindByJobIdAsync(string jobId, CancellationToken cancellationToken) =>
        database.RunAsync(connection => SelectAsync(connection, "job_id = $key", jobId, cancellationToken), cancellationToken);

    public Task<CancelRequest?> GetCancelRequestAsync(string taskId, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command(
                "SELECT cancel_requested_by, cancel_reason, cancel_requested_at FROM tasks WHERE task_id = $key;",
                ("$key", taskId));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? CancelRequestOf(reader) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<AgentTask>> ListAsync(TaskFilter filter, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<AgentTask>>(async connection =>
        {
            await using var select = connection.Command(
                ListingSql(filter),
                ("$status", filter.Status is { } wanted ? WireName.Of(wanted) : null),
                ("$workspace", filter.Workspace),
                ("$from", filter.CreatedFrom is { } from ? SqliteCommands.Time(from) : null),
                ("$before", filter.CreatedBefore is { } before ? SqliteCommands.Time(before) : null),
                ("$limit", limit));
            return await select.ReadAllAsync(Map);
        }, cancellationToken);

    /// <summary>
    /// The listing's query with only the criteria that are set: a criterion written to match anything when unset
    /// (<c>$status IS NULL OR status = $status</c>) hides its column from SQLite's planner, which then reads and
    /// sorts the whole table instead of walking an index (<see cref="Schema.SqliteSchema"/>). A parameter the
    /// query does not name is not bound.
    /// </summary>
    internal static string ListingSql(TaskFilter filter)
    {
        var criteria = new List<string>();
        if (filter.Status is not null)
        {
            criteria.Add("status = $status");
        }

        if (filter.Workspace is not null)
        {
            criteria.Add("workspace = $workspace");
        }

        if (filter.CreatedFrom is not null)
        {
            criteria.Add("created_at >= $from");
        }

        if (filter.CreatedBefore is not null)
        {
            criteria.Add("created_at < $before");
        }

        var where = criteria.Count == 0 ? "" : $"WHERE {string.Join(" AND ", criteria)} ";
        return $"SELECT {Columns} FROM tasks {where}ORDER BY created_at DESC, task_id DESC LIMIT $limit;";
    }

    public Task<bool> TryTransitionAsync(AgentTask updated, AgentTaskStatus expected, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(
                """
                UPDATE tasks SET status = $status, final_response = $final, reasoning_content = $reasoningContent, error = $error, attempts = $attempts, updated_at = $updated
                WHERE task_id = $id AND status = $expected;
                """,
                ("$status", WireName.Of(updated.Status)),
                ("$final", updated.FinalResponse),
                ("$reasoningContent", updated.ReasoningContent),
                ("$error", updated.Error),
                ("$attempts", updated.Attempts),
                ("$updated", SqliteCommands.Time(updated.UpdatedAt)),
                ("$id", updated.TaskId),
                ("$expected", WireName.Of(expected)));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<AgentTask?> TryAcquireLeaseAsync(string taskId, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(
                $"""
                UPDATE tasks SET lease_owner = $owner, lease_expires_at = $until, attempts = attempts + 1
                WHERE task_id = $id AND (lease_expires_at IS NULL OR lease_expires_at < $now)
                RETURNING {Columns};
                """,
                ("$owner", owner),
                ("$until", SqliteCommands.Time(until)),
                ("$id", taskId),
                ("$now", SqliteCommands.Time(now)));
            return (await update.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    public Task<bool> RenewLeaseAsync(string taskId, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(
                "UPDATE tasks SET lease_expires_at = $until WHERE task_id = $id AND lease_owner = $owner;",
                ("$until", SqliteCommands.Time(until)),
                ("$id", taskId),
                ("$owner", owner));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task ReleaseLeaseAsync(string taskId, string owner, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(
                "UPDATE tasks SET lease_expires_at = $now WHERE task_id = $id AND lease_owner = $owner;",
                ("$now", SqliteCommands.Time(now)),
                ("$id", taskId),
                ("$owner", owner));
            await update.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<AgentTask>> ListExpiredLeasesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<AgentTask>>(async connection =>
        {
            await using var select = connection.Command(
                $"SELECT {Columns} FROM tasks WHERE status = 'running' AND lease_expires_at < $now ORDER BY lease_expires_at LIMIT $limit;",
                ("$now", SqliteCommands.Time(now)),
                ("$limit", limit));
            return await select.ReadAllAsync(Map);
        }, cancellationToken);

    public Task<IReadOnlyList<AgentTask>> ListWaitingOnDecidedApprovalAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<AgentTask>>(async connection =>
        {
            await using var select = connection.Command(
                $"""
                SELECT {Columns} FROM tasks
                WHERE status = 'waiting_for_approval' AND (lease_expires_at IS NULL OR lease_expires_at < $now)
                  AND EXISTS (SELECT 1 FROM approvals WHERE approvals.task_id = tasks.task_id)
                  AND NOT EXISTS (SELECT 1 FROM approvals WHERE approvals.task_id = tasks.task_id AND approvals.decision IS NULL AND approvals.closed_reason IS NULL)
                ORDER BY updated_at, task_id LIMIT $limit;
                """,
                ("$now", SqliteCommands.Time(now)),
                ("$limit", limit));
            return await select.ReadAllAsync(Map);
        }, cancellationToken);

    public Task<AgentTask?> TryRequestCancelAsync(string taskId, CancelRequest request, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            // The first request stands: a second one only reads the task back.
            await using var update = connection.Command(
                $"""
                UPDATE tasks SET cancel_requested_by = coalesce(cancel_requested_by, $by),
                    cancel_reason = CASE WHEN cancel_requested_by IS NULL THEN $reason ELSE cancel_reason END,
                    cancel_requested_at = coalesce(cancel_requested_at, $at)
                WHERE task_id = $id AND status IN ('running', 'waiting_for_approval')
                RETURNING {Columns};
                """,
                ("$by", request.By),
                ("$reason", request.Reason),
                ("$at", SqliteCommands.Time(request.At)),
                ("$id", taskId));
            return (await update.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    private static async Task<AgentTask?> SelectAsync(SqliteConnection connection, string where, string key, CancellationToken cancellationToken)
    {
        await using var select = connection.Command($"SELECT {Columns} FROM tasks WHERE {where};", ("$key", key));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
    }

    private static CancelRequest? CancelRequestOf(SqliteDataReader row) =>
        row.NullableString("cancel_requested_by") is { } by
            ? new CancelRequest(by, row.NullableString("cancel_reason"), SqliteCommands.Time(row.String("cancel_requested_at")))
            : null;

    private static AgentTask Map(SqliteDataReader row) => new()
    {
        TaskId = row.String("task_id"),
        JobId = row.String("job_id"),
        Message = row.String("message"),
        Workspace = row.NullableString("workspace"),
        Debug = row.GetBoolean(row.GetOrdinal("debug")),
        Status = WireName.Parse<AgentTaskStatus>(row.String("status")),
        FinalResponse = row.NullableString("final_response"),
        ReasoningContent = row.NullableString("reasoning_content"),
        Error = row.NullableString("error"),
        Context = JsonSerializer.Deserialize<List<ConversationMessage>>(row.String("context"), JsonSerializerOptions.Web) ?? [],
        Reasoning = row.NullableString("reasoning") is { } mode ? WireName.Parse<ReasoningMode>(mode) : null,
        Reflect = row.GetBoolean(row.GetOrdinal("reflect")),
        ReplyTo = row.NullableString("reply_to"),
        LeaseOwner = row.NullableString("lease_owner"),
        LeaseExpiresAt = row.NullableString("lease_expires_at") is { } expires ? SqliteCommands.Time(expires) : null,
        Attempts = row.GetInt32(row.GetOrdinal("attempts")),
        CancelRequest = CancelRequestOf(row),
        CreatedAt = SqliteCommands.Time(row.String("created_at")),
        UpdatedAt = SqliteCommands.Time(row.String("updated_at")),
    };
}
