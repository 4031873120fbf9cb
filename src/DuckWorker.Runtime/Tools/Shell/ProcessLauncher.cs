using System.Collections.Concurrent;
using System.Diagnostics;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// Starts the shell's processes from one thread that lives as long as the worker. A parent-death signal
/// (bubblewrap's <c>--die-with-parent</c>, <c>setpriv --pdeathsig</c>) fires when the thread that forked the
/// process ends, not the process: started from a pool thread, a command would be killed whenever the pool
/// retired that thread, and only a thread that never ends makes it mean "killed with the worker".
/// </summary>
internal static class ProcessLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];

    static ProcessLauncher() =>
        new Thread(Launch) { IsBackground = true, Name = "duck-shell-launcher" }.Start();

    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }

    private static void Launch()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start."));
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
