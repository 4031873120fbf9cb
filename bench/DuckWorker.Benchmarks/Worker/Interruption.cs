using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// Ctrl+C (or SIGTERM) in the middle of a benchmark: the runs under way delete their queues and exchanges before
/// it ends, as they do when they finish, and then the runs' stores and workspaces go. Left on the broker, an
/// interrupted run's queues, some holding thousands of outcomes, slow down everything after; left on disk, its
/// stores take up to a hundred megabytes each time.
/// </summary>
internal static class Interruption
{
    private static readonly ConcurrentDictionary<object, IAsyncDisposable> Live = new();
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration[]? signals;
    private static string? scratch;

    /// <summary>Disposes <paramref name="run"/> if the benchmark is interrupted before the returned registration is.</summary>
    public static IDisposable Undo(IAsyncDisposable run)
    {
        Listen();
        var key = new object();
        Live[key] = run;
        return new Registration(key);
    }

    /// <summary>Deletes <paramref name="folder"/>, where the runs keep their stores, if the benchmark is interrupted.</summary>
    public static void Delete(string folder)
    {
        Listen();
        scratch = folder;
    }

    private static void Listen()
    {
        lock (Gate)
        {
            signals ??= [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
        }
    }

    private static void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        var runs = Live.Values.ToList();
        Console.Error.WriteLine($"Interrupted: deleting the queues of {runs.Count} run(s) under way.");
        foreach (var run in runs)
        {
            try
            {
                if (!run.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)))
                {
                    Console.Error.WriteLine("  one was still being deleted after 10 s; what is left of it starts with bench.");
                }
            }
            catch (AggregateException ex)
            {
                Console.Error.WriteLine($"  one could not be deleted: {ex.InnerException?.Message}");
            }
        }

        // After the runs: their workers, which hold the stores open, have ended.
        if (scratch is { } folder)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"  {folder} could not be deleted: {ex.Message}");
            }
        }

        Environment.Exit(130);
    }

    private sealed class Registration(object key) : IDisposable
    {
        public void Dispose() => Live.TryRemove(key, out _);
    }
}
