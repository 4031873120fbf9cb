using System.Text.Json;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

internal sealed class SqliteTaskStore(SqliteDatabase database) : ITaskStore
{
    private const string Columns = """
        task_id, job_id, message, workspace, debug, status, final_response, reasoning_content, error,
        context, reasoning, reflect, created_at, updated_at
        """;

    public Task<AgentTask> CreateAsync(AgentTask task, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            // The unique job id decides which of two racing creators wins; both then read the winner.
            await using (var insert = connection.Command(
                $"INSERT INTO tasks ({Columns}) VALUES ($id, $job, $message, $workspace, $debug, $status, $final, $reasoningContent, $error, $context, $reasoning, $reflect, $created, $updated) ON CONFLICT (job_id) DO NOTHING;",
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
                ("$created", SqliteCommands.Time(task.CreatedAt)),
                ("$updated", SqliteCommands.Time(task.UpdatedAt))))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            return (await SelectAsync(connection, "job_id = $key", task.JobId, cancellationToken))!;
        }, cancellationToken);

    public Task<AgentTask?> GetAsync(string taskId, CancellationToken cancellationToken) =>
        database.RunAsync(connection => SelectAsync(connection, "task_id = $key", taskId, cancellationToken), cancellationToken);

    public Task<AgentTask?> FindByJobIdAsync(string jobId, CancellationToken cancellationToken) =>
        database.RunAsync(connection => SelectAsync(connection, "job_id = $key", jobId, cancellationToken), cancellationToken);

    public Task<bool> TryTransitionAsync(AgentTask updated, AgentTaskStatus expected, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var update = connection.Command(
                """
                UPDATE tasks SET status = $status, final_response = $final, reasoning_content = $reasoningContent, error = $error, updated_at = $updated
                WHERE task_id = $id AND status = $expected;
                """,
                ("$status", WireName.Of(updated.Status)),
                ("$final", updated.FinalResponse),
                ("$reasoningContent", updated.ReasoningContent),
                ("$error", updated.Error),
                ("$updated", SqliteCommands.Time(updated.UpdatedAt)),
                ("$id", updated.TaskId),
                ("$expected", WireName.Of(expected)));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    private static async Task<AgentTask?> SelectAsync(SqliteConnection connection, string where, string key, CancellationToken cancellationToken)
    {
        await using var select = connection.Command($"SELECT {Columns} FROM tasks WHERE {where};", ("$key", key));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Map(reader) : null;
    }

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
        CreatedAt = SqliteCommands.Time(row.String("created_at")),
        UpdatedAt = SqliteCommands.Time(row.String("updated_at")),
    };
}
