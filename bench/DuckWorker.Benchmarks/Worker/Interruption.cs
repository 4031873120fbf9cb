using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// Ctrl+C (or SIGTERM) in the middle of a benchmark: the runs under way delete their queues and exchanges before
/// it ends, as they do when they finish. Left on the broker, an interrupted run's queues, some holding thousands
/// of outcomes, slow down everything after.
/// </summary>
internal static class Interruption
{
    private static readonly ConcurrentDictionary<object, IAsyncDisposable> Live = new();
    private static readonly Lock Gate = new();
    private static PosixSignalRegistration[]? signals;

    /// <summary>Disposes <paramref name="run"/> if the benchmark is interrupted before the returned registration is.</summary>
    public static IDisposable Undo(IAsyncDisposable run)
    {
        lock (Gate)
        {
            signals ??= [PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop)];
        }

        var key = new object();
        Live[key] = run;
        return new Registration(key);
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

        Environment.Exit(130);
    }

    private sealed class Registration(object key) : IDisposable
    {
        public void Dispose() => Live.TryRemove(key, out _);
    }
}
