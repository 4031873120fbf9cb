using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite.Tests.Recall;

/// <summary>One SQLite file for recall tests: stores on it (each its own index, as another process would have), bulk writes, and the exact ranking to compare with.</summary>
public sealed class MemoryFile : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("duck-recall-").FullName;

    /// <summary>The embedder every vector of these tests is stored under.</summary>
    public const string Embedder = "test/random";

    public MemoryFile() => Path = System.IO.Path.Join(folder, "memories.db");

    public string Path { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal SqliteMemoryStore NewStore() => new(SqliteStoreProvider.Open(Path));

    public static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return Vectors.Normalize(vector);
    }

    public static MemoryRecord Memory(string id, string workspace, string scope, float[]? embedding) => new()
    {
        MemoryId = id,
        Workspace = workspace,
        Scope = scope,
        MemoryType = "fact",
        Text = $"memory {id}",
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        Embedding = embedding,
        EmbeddedBy = embedding is null ? null : Embedder,
    };

    /// <summary>Writes many memories in one transaction of a connection of its own, as another process would.</summary>
    public async Task InsertAsync(IEnumerable<MemoryRecord> memories)
    {
        await NewStore().GetAsync("creates-the-schema", Ct);
        await using var connection = await OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at, updated_at, embedding, embedded_by)
            VALUES ($id, $workspace, $scope, 'fact', $id, 0.5, '{}', NULL, '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:00:00.0000000+00:00', $embedding, $embeddedBy);
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var workspace = insert.Parameters.Add("$workspace", SqliteType.Text);
        var scope = insert.Parameters.Add("$scope", SqliteType.Text);
        var embedding = insert.Parameters.Add("$embedding", SqliteType.Blob);
        insert.Parameters.AddWithValue("$embeddedBy", Embedder);
        foreach (var memory in memories)
        {
            (id.Value, workspace.Value, scope.Value) = (memory.MemoryId, memory.Workspace, memory.Scope);
            embedding.Value = (object?)SqliteCommands.Blob(memory.Embedding) ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await transaction.CommitAsync(Ct);
    }

    /// <summary>Runs SQL on a connection of its own, outside every store.</summary>
    public async Task<object?> SqlAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }

    /// <summary>
    /// The ranking the contract asks for, computed the old way, over every memory: all vectors of the query's
    /// dimension in the workspace and the global ones, scored exactly.
    /// </summary>
    public async Task<List<(string Id, double Score)>> ExactTopAsync(string workspace, float[] query, int limit, double minScore)
    {
        await using var connection = await OpenAsync();
        return VectorRanking.Top(
            connection,
            "SELECT memory_id, embedding FROM memories WHERE embedding IS NOT NULL AND (workspace = $workspace OR scope = 'global') AND embedded_by = $embedder AND length(embedding) = $bytes;",
            new Dictionary<string, object> { ["$workspace"] = workspace, ["$embedder"] = Embedder, ["$bytes"] = query.Length * 4L },
            query,
            limit,
            minScore);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        await connection.OpenAsync(Ct);
        // A WAL reader can meet a lock for a moment (another connection resetting the log); as the store's own
        // connections do, wait for it rather than fail. The exact ranking reads through SQLite's statement API,
        // which has no retry of its own.
        await using var wait = connection.CreateCommand();
        wait.CommandText = "PRAGMA busy_timeout = 30000;";
        await wait.ExecuteNonQueryAsync(Ct);
        return connection;
    }
}
