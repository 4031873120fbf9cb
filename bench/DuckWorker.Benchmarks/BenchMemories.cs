using DuckWorker.Runtime.Memory;
using DuckWorker.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Benchmarks;

/// <summary>
/// A SQLite store filled with memories of one workspace and as many reflections' lessons, whose vectors are random
/// unit vectors of <see cref="Dimensions"/> floats (nomic-embed-text's size), written in one transaction.
/// </summary>
internal static class BenchMemories
{
    public const int Dimensions = 768;

    public const string Workspace = "/bench/workspace";

    /// <summary>The name the vectors are stored under, as an embedder's would be.</summary>
    public const string Embedder = "bench/random";

    /// <summary>Creates the store in <paramref name="folder"/>, fills it, and returns a query vector drawn from the same seed.</summary>
    public static async Task<(SqliteDatabase Database, float[] Query)> FillAsync(string folder, int memories, int seed = 42)
    {
        var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, $"memories-{memories}.db") }));
        await new SqliteMemoryStore(database).GetAsync("creates-the-schema", CancellationToken.None);
        var random = new Random(seed);
        await using var connection = new SqliteConnection($"Data Source={database.FilePath}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await InsertAsync(
            connection,
            """
            INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at, updated_at, embedding, embedded_by)
            VALUES ($id, $workspace, 'workspace', 'fact', $text, 0.5, '{}', NULL, $at, $at, $embedding, $embeddedBy);
            """,
            "m",
            "memory",
            memories,
            random);
        await InsertAsync(
            connection,
            """
            INSERT INTO experiences (record_id, task_id, workspace, summary, outcome, reusable_lesson, created_at, lesson_embedding, lesson_embedded_by)
            VALUES ($id, $id, $workspace, 'a task', 'success', $text, $at, $embedding, $embeddedBy);
            """,
            "r",
            "lesson",
            memories,
            random);
        await transaction.CommitAsync();
        return (database, RandomUnit(random));
    }

    /// <summary>Runs <paramref name="sql"/> <paramref name="count"/> times, each with a new id, text and random vector.</summary>
    private static async Task InsertAsync(SqliteConnection connection, string sql, string idPrefix, string what, int count, Random random)
    {
        await using var insert = connection.CreateCommand();
        insert.CommandText = sql;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.AddWithValue("$workspace", Workspace);
        insert.Parameters.AddWithValue("$embeddedBy", Embedder);
        var text = insert.Parameters.Add("$text", SqliteType.Text);
        insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        var embedding = insert.Parameters.Add("$embedding", SqliteType.Blob);
        for (var i = 0; i < count; i++)
        {
            id.Value = $"{idPrefix}{i:D6}";
            text.Value = $"{what} number {i}";
            embedding.Value = SqliteCommands.Blob(RandomUnit(random));
            await insert.ExecuteNonQueryAsync();
        }
    }

    public static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return Vectors.Normalize(vector);
    }
}
