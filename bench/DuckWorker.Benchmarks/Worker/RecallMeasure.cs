using System.Diagnostics;
using DuckWorker.Sqlite;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>What a recall costs the worker on the SQLite store: the five closest memories among N, once the store is warm.</summary>
internal static class RecallMeasure
{
    /// <summary>The milliseconds of each of <paramref name="queries"/> searches, and the managed memory the store kept for them, in MB.</summary>
    public static async Task<(Spread Ms, double MemoryMb)> MeasureAsync(string folder, int memories, int queries)
    {
        var (database, query) = await BenchMemories.FillAsync(folder, memories);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = new SqliteMemoryStore(database);
        // Long enough for the JIT to compile the scan's hot loops at their final tier, as a worker's would be.
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 50 || warming.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            await store.SearchAsync(BenchMemories.Workspace, BenchMemories.Embedder, query, 5, -1, CancellationToken.None);
        }

        var memoryMb = Math.Max(store.RecallIndexBytes, GC.GetTotalMemory(forceFullCollection: true) - before) / (1024.0 * 1024.0);
        var times = new List<double>(queries);
        for (var i = 0; i < queries; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var found = await store.SearchAsync(BenchMemories.Workspace, BenchMemories.Embedder, query, 5, -1, CancellationToken.None);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (found.Count != 5)
            {
                throw new InvalidOperationException($"Recall among {memories} memories found {found.Count}, not 5.");
            }
        }

        GC.KeepAlive(store);
        SqliteConnection.ClearAllPools();
        return (Spread.Of(times), memoryMb);
    }
}
