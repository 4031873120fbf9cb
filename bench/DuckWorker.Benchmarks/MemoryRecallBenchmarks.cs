using BenchmarkDotNet.Attributes;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Benchmarks;

/// <summary>
/// Recall on the SQLite store: the five memories closest to a query among <see cref="Memories"/> of one
/// workspace, with vectors of <see cref="Dimensions"/> floats (the size of nomic-embed-text's).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MemoryRecallBenchmarks
{
    private const int Dimensions = 768;
    private const string Workspace = "/bench/workspace";
    private const string Embedder = "bench/random";

    private string folder = "";
    private SqliteMemoryStore store = null!;
    private float[] query = [];

    [Params(1_000, 10_000, 100_000)]
    public int Memories { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        folder = Directory.CreateTempSubdirectory("duck-bench-").FullName;
        var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, "bench.db") }));
        store = new SqliteMemoryStore(database);
        await store.GetAsync("creates-the-schema", CancellationToken.None);
        var random = new Random(42);
        await using var connection = new SqliteConnection($"Data Source={database.FilePath}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at, updated_at, embedding, embedded_by)
            VALUES ($id, $workspace, 'workspace', 'fact', $text, 0.5, '{}', NULL, $at, $at, $embedding, $embedded_by);
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        insert.Parameters.AddWithValue("$workspace", Workspace);
        insert.Parameters.AddWithValue("$embedded_by", Embedder);
        var text = insert.Parameters.Add("$text", SqliteType.Text);
        insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        var embedding = insert.Parameters.Add("$embedding", SqliteType.Blob);
        for (var i = 0; i < Memories; i++)
        {
            id.Value = $"m{i:D6}";
            text.Value = $"memory number {i}";
            embedding.Value = SqliteCommands.Blob(RandomUnit(random));
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        query = RandomUnit(random);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark]
    public Task<IReadOnlyList<Scored<MemoryRecord>>> RecallTopFive() =>
        store.SearchAsync(Workspace, Embedder, query, 5, -1, CancellationToken.None);

    private static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return Vectors.Normalize(vector);
    }
}
