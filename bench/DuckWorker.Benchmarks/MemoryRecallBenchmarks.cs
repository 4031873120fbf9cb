using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Benchmarks;

/// <summary>
/// Recall on the SQLite store: the five memories closest to a query among <see cref="Memories"/> of one
/// workspace (<see cref="BenchMemories"/>). The store's in-process index against the exact scan of every
/// vector that it replaced; the setup prints the memory the index holds and checks that its top five are the
/// exact ones.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class MemoryRecallBenchmarks
{
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
        (var database, query) = await BenchMemories.FillAsync(folder, Memories);
        store = new SqliteMemoryStore(database);
        scanning = new SqliteConnection($"Data Source={database.FilePath}");
        await scanning.OpenAsync();
        await ReportTheIndexAsync();
        await CheckTheTopFiveAsync();
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
        store.SearchAsync(BenchMemories.Workspace, BenchMemories.Embedder, query, 5, -1, CancellationToken.None);

    /// <summary>The search before the index: every vector read through SQLite and scored exactly (the five records not read, ~0.1 ms).</summary>
    [Benchmark(Baseline = true)]
    public List<(string Id, double Score)> ExactScanTopFive() => ExactTopFive(query);

    private List<(string Id, double Score)> ExactTopFive(float[] vector) =>
        VectorRanking.Top(scanning, EveryVector, new Dictionary<string, object> { ["$workspace"] = BenchMemories.Workspace }, vector, 5, -1);

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
    private async Task CheckTheTopFiveAsync()
    {
        var random = new Random(7);
        foreach (var vector in Enumerable.Range(0, 20).Select(_ => BenchMemories.RandomUnit(random)).Prepend(query))
        {
            var found = (await store.SearchAsync(BenchMemories.Workspace, BenchMemories.Embedder, vector, 5, -1, CancellationToken.None)).Select(f => (f.Item.MemoryId, f.Score));
            var exact = ExactTopFive(vector);
            if (!found.SequenceEqual(exact))
            {
                throw new InvalidOperationException($"The index's top five ({string.Join(", ", found)}) are not the exact ones ({string.Join(", ", exact)}).");
            }
        }

        Console.WriteLine($"// RecallIndex Memories={Memories}: top five equal to the exact ones for 21 queries");
    }
}
