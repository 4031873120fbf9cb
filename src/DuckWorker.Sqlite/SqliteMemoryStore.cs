using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

internal sealed class SqliteMemoryStore(SqliteDatabase database) : IMemoryStore
{
    private const string Columns = "memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at";

    public Task AddAsync(MemoryRecord memory, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var insert = connection.Command(
                $"INSERT INTO memories ({Columns}) VALUES ($id, $workspace, $scope, $type, $text, $importance, $metadata, $task, $created);",
                ("$id", memory.MemoryId),
                ("$workspace", memory.Workspace),
                ("$scope", memory.Scope),
                ("$type", memory.MemoryType),
                ("$text", memory.Text),
                ("$importance", memory.Importance),
                ("$metadata", JsonText.Of(memory.Metadata)),
                ("$task", memory.TaskId),
                ("$created", SqliteCommands.Time(memory.CreatedAt)));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<MemoryRecord?> GetAsync(string memoryId, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command($"SELECT {Columns} FROM memories WHERE memory_id = $id;", ("$id", memoryId));
            return (await select.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<MemoryRecord>> ListAsync(string? workspace, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<MemoryRecord>>(async connection =>
        {
            await using var select = connection.Command(
                $"SELECT {Columns} FROM memories WHERE $workspace IS NULL OR workspace = $workspace OR scope = 'global' ORDER BY created_at DESC, memory_id DESC LIMIT $limit;",
                ("$workspace", workspace),
                ("$limit", limit));
            return await select.ReadAllAsync(Map);
        }, cancellationToken);

    private static MemoryRecord Map(SqliteDataReader row) => new()
    {
        MemoryId = row.String("memory_id"),
        Workspace = row.String("workspace"),
        Scope = row.String("scope"),
        MemoryType = row.String("memory_type"),
        Text = row.String("text"),
        Importance = row.GetDouble(row.GetOrdinal("importance")),
        Metadata = JsonNode.Parse(row.String("metadata")) as JsonObject ?? [],
        TaskId = row.NullableString("task_id"),
        CreatedAt = SqliteCommands.Time(row.String("created_at")),
    };
}
