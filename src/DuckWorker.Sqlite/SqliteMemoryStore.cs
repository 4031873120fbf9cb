using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite.Recall;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

internal sealed class SqliteMemoryStore(SqliteDatabase database) : IMemoryStore
{
    private const string Columns = "memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at, updated_at, embedding, embedded_by";

    private readonly VectorIndex index = new(VectorSource.Memories);

    /// <summary>The memory this store's recall index holds, roughly, in bytes.</summary>
    internal long RecallIndexBytes => index.Bytes;

    public Task AddAsync(MemoryRecord memory, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.Command(
                $"INSERT INTO memories ({Columns}) VALUES ($id, $workspace, $scope, $type, $text, $importance, $metadata, $task, $created, $updated, $embedding, $embedded_by);",
                Parameters(memory));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<MemoryRecord?> GetAsync(string memoryId, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command($"SELECT {Columns} FROM memories WHERE memory_id = $id;", ("$id", memoryId));
            return (await select.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<MemoryRecord>> ListAsync(string? workspace, string? scope, string? text, int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<MemoryRecord>>(async connection =>
        {
            // SQLite's lower() folds ASCII letters only: the contract promises no more.
            await using var select = connection.Command(
                $"SELECT {Columns} FROM memories WHERE ($workspace IS NULL OR workspace = $workspace OR scope = 'global') AND ($scope IS NULL OR scope = $scope) "
                + "AND ($text IS NULL OR instr(lower(text), lower($text)) > 0) ORDER BY created_at DESC, memory_id DESC LIMIT $limit;",
                ("$workspace", workspace),
                ("$scope", scope),
                ("$text", text),
                ("$limit", limit));
            return await select.ReadAllAsync(Map);
        }, cancellationToken);

    public Task<bool> UpdateAsync(MemoryRecord memory, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(
                """
                UPDATE memories SET memory_type = $type, text = $text, importance = $importance, metadata = $metadata,
                    updated_at = $updated, embedding = $embedding, embedded_by = $embedded_by
                WHERE memory_id = $id;
                """,
                Parameters(memory));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListIdsNotEmbeddedByAsync(string? embeddedBy, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var select = connection.Command(
                "SELECT memory_id FROM memories WHERE $embedded_by IS NULL OR embedded_by IS NULL OR embedded_by <> $embedded_by ORDER BY memory_id;",
                ("$embedded_by", embeddedBy));
            return await select.ReadAllAsync(row => row.GetString(0));
        }, cancellationToken);

    public Task<bool> SetEmbeddingAsync(string memoryId, string text, float[] embedding, string embeddedBy, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(
                "UPDATE memories SET embedding = $embedding, embedded_by = $embedded_by WHERE memory_id = $id AND text = $text;",
                ("$id", memoryId),
                ("$text", text),
                ("$embedding", SqliteCommands.Blob(embedding)),
                ("$embedded_by", embeddedBy));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string memoryId, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var delete = connection.Command("DELETE FROM memories WHERE memory_id = $id;", ("$id", memoryId));
            return await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<Scored<MemoryRecord>>> SearchAsync(string workspace, string embeddedBy, ReadOnlyMemory<float> vector, int limit, double minScore, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Scored<MemoryRecord>>>(async connection =>
        {
            if (limit <= 0)
            {
                return [];
            }

            var best = await index.TopAsync(connection, embeddedBy, workspace, vector, limit, minScore, cancellationToken);
            return await connection.ScoredAsync($"SELECT {Columns} FROM memories WHERE memory_id IN (SELECT value FROM json_each($ids));", best, Map, m => m.MemoryId);
        }, cancellationToken);

    private static (string, object?)[] Parameters(MemoryRecord memory) =>
    [
        ("$id", memory.MemoryId),
        ("$workspace", memory.Workspace),
        ("$scope", memory.Scope),
        ("$type", memory.MemoryType),
        ("$text", memory.Text),
        ("$importance", memory.Importance),
        ("$metadata", JsonText.Of(memory.Metadata)),
        ("$task", memory.TaskId),
        ("$created", SqliteCommands.Time(memory.CreatedAt)),
        ("$updated", SqliteCommands.Time(memory.UpdatedAt)),
        ("$embedding", SqliteCommands.Blob(memory.Embedding)),
        ("$embedded_by", memory.EmbeddedBy),
    ];

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
        UpdatedAt = SqliteCommands.Time(row.String("updated_at")),
        Embedding = row.Vector("embedding"),
        EmbeddedBy = row.EmbeddedBy("embedding", "embedded_by"),
    };
}
