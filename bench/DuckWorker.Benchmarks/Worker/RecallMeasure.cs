using System.Diagnostics;
using DuckWorker.Sqlite;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// What a recall costs the worker on the SQLite store, once the store is warm: the five closest memories among N,
/// and the three closest lessons (<c>Memory:LessonTopK</c>) among as many.
/// </summary>
internal static class RecallMeasure
{
    /// <summary>The milliseconds of each of <paramref name="queries"/> searches of each kind, and the managed memory the store kept for them, in MB.</summary>
    public static async Task<(Spread Ms, double MemoryMb, Spread LessonsMs, double LessonsMemoryMb)> MeasureAsync(string folder, int memories, int queries)
    {
        var (database, query) = await BenchMemories.FillAsync(folder, memories);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = new SqliteMemoryStore(database);
        var recalled = await TimeAsync(
            $"{memories} memories",
            5,
            async () => (await store.SearchAsync(BenchMemories.Workspace, BenchMemories.Embedder, query, 5, -1, CancellationToken.None)).Count,
            queries);
        var memoryMb = Math.Max(store.RecallIndexBytes, GC.GetTotalMemory(forceFullCollection: true) - before) / (1024.0 * 1024.0);

        before = GC.GetTotalMemory(forceFullCollection: true);
        var experiences = new SqliteExperienceStore(database);
        var lessons = await TimeAsync(
            $"{memories} lessons",
            3,
            async () => (await experiences.SearchLessonsAsync(BenchMemories.Embedder, query, 3, -1, CancellationToken.None)).Count,
            queries);
        var lessonsMb = Math.Max(experiences.LessonIndexBytes, GC.GetTotalMemory(forceFullCollection: true) - before) / (1024.0 * 1024.0);

        GC.KeepAlive(store);
        GC.KeepAlive(experiences);
        SqliteConnection.ClearAllPools();
        return (recalled, memoryMb, lessons, lessonsMb);
    }

    private static async Task<Spread> TimeAsync(string among, int expected, Func<Task<int>> search, int queries)
    {
        // Long enough for the JIT to compile the scan's hot loops at their final tier, as a worker's would be.
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < 50 || warming.Elapsed < TimeSpan.FromSeconds(1); i++)
        {
            await search();
        }

        var times = new List<double>(queries);
        for (var i = 0; i < queries; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var found = await search();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (found != expected)
            {
                throw new InvalidOperationException($"Recall among {among} found {found}, not {expected}.");
            }
        }

        return Spread.Of(times);
    }
}
