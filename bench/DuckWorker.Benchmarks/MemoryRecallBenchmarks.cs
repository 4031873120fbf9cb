using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Benchmarks;

/// <summary>
/// Recall on the SQLite store: the five memories closest to a query among <see cref="Memories"/> of one
/// workspace, with vectors of <see cref="Dimensions"/> floats (the size of nomic-embed-text's). The store's
/// in-process index against the exact scan of every vector that it replaced; the setup prints the memory the
/// index holds and checks that its top five are the exact ones.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MemoryRecallBenchmarks
{
    private const int Dimensions = 768;
    private const string Workspace = "/bench/workspace";

    private const string EveryVector = "SELECT memory_id, embedding FROM memories WHERE embedding IS NOT NULL AND (workspace = $workspace OR scope = 'global');";

    private string folder = "";
    private SqliteMemoryStore store = null!;
    private SqliteConnection scanning = null!;
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
        await using (var connection = new SqliteConnection($"Data Source={database.FilePath}"))
        {
            await connection.OpenAsync();
            await using var transaction = connection.BeginTransaction();
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at, updated_at, embedding)
                VALUES ($id, $workspace, 'workspace', 'fact', $text, 0.5, '{}', NULL, $at, $at, $embedding);
                """;
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            insert.Parameters.AddWithValue("$workspace", Workspace);
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
        }

        query = RandomUnit(random);
        scanning = new SqliteConnection($"Data Source={database.FilePath}");
        await scanning.OpenAsync();
        await ReportTheIndexAsync();
        await CheckTheTopFiveAsync(random);
    }

    [GlobalCleanup]
    public void CleanUp()
    {
        scanning.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark]
    public Task<IReadOnlyList<Scored<MemoryRecord>>> RecallTopFive() =>
        store.SearchAsync(Workspace, query, 5, -1, CancellationToken.None);

    /// <summary>The search before the index: every vector read through SQLite and scored exactly (the five records not read, ~0.1 ms).</summary>
    [Benchmark(Baseline = true)]
    public List<(string Id, double Score)> ExactScanTopFive() =>
        VectorRanking.Top(scanning, EveryVector, new Dictionary<string, object> { ["$workspace"] = Workspace }, query, 5, -1);

    /// <summary>Loads the index (the first search) and prints what it holds: its own count and the managed heap's growth.</summary>
    private async Task ReportTheIndexAsync()
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var loading = Stopwatch.StartNew();
        await RecallTopFive();
        loading.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// RecallIndex Memories={Memories}: {store.RecallIndexBytes / 1048576.0:F1} MB by its own count, {(after - before) / 1048576.0:F1} MB more managed heap, loaded by the first search in {loading.Elapsed.TotalMilliseconds:F0} ms"));
    }

    /// <summary>The index chooses candidates by quantized vectors: its top five must still be the exact ones, here as in the tests.</summary>
    private async Task CheckTheTopFiveAsync(Random random)
    {
        foreach (var vector in Enumerable.Range(0, 20).Select(_ => RandomUnit(random)).Prepend(query))
        {
            var found = (await store.SearchAsync(Workspace, vector, 5, -1, CancellationToken.None)).Select(f => (f.Item.MemoryId, f.Score));
            var exact = VectorRanking.Top(scanning, EveryVector, new Dictionary<string, object> { ["$workspace"] = Workspace }, vector, 5, -1);
            if (!found.SequenceEqual(exact))
            {
                throw new InvalidOperationException($"The index's top five ({string.Join(", ", found)}) are not the exact ones ({string.Join(", ", exact)}).");
            }
        }

        Console.WriteLine($"// RecallIndex Memories={Memories}: top five equal to the exact ones for 21 queries");
    }

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
