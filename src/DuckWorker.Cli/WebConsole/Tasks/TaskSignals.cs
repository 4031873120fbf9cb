namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>
/// Wakes the open pages of a task when the console's one feed of the worker's events (<see cref="ConsoleFeed"/>)
/// hears of it: however many pages are open, the broker copies each event to the console once.
/// </summary>
internal sealed class TaskSignals
{
    private readonly Dictionary<string, (TaskCompletionSource Next, int Pages)> watched = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Wakes the task's open pages, if it has any.</summary>
    public void Pulse(string taskId)
    {
        TaskCompletionSource woken;
        lock (gate)
        {
            if (!watched.TryGetValue(taskId, out var watch))
            {
                return;
            }

            woken = watch.Next;
            watched[taskId] = (NewPulse(), watch.Pages);
        }

        woken.TrySetResult();
    }

    /// <summary>Watches the task for a page until disposed: a pulse from now on is not missed, however soon it comes.</summary>
    public TaskWatch Watch(string taskId)
    {
        lock (gate)
        {
            watched[taskId] = watched.TryGetValue(taskId, out var watch) ? (watch.Next, watch.Pages + 1) : (NewPulse(), 1);
            return new TaskWatch(this, taskId, watched[taskId].Next.Task);
        }
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task Next(string taskId)
    {
        lock (gate)
        {
            return watched[taskId].Next.Task;
        }
    }

    private void Unwatch(string taskId)
    {
        lock (gate)
        {
            var watch = watched[taskId];
            if (watch.Pages == 1)
            {
                watched.Remove(taskId);
            }
            else
            {
                watched[taskId] = (watch.Next, watch.Pages - 1);
            }
        }
    }

    /// <summary>One page's watch of a task.</summary>
    internal sealed class TaskWatch(TaskSignals signals, string taskId, Task pending) : IDisposable
    {
        private Task pending = pending;

        /// <summary>
        /// Returns at the task's next pulse (at once when one came since the last return), or after
        /// <paramref name="timeout"/>; the page reads the store after either.
        /// </summary>
        public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            try
            {
                await pending.WaitAsync(timeout, time, cancellationToken);

                // Watching again before the page reads the store: a pulse during that read wakes the next wait.
                pending = signals.Next(taskId);
            }
            catch (TimeoutException)
            {
                // Nothing was heard: the page reads the store anyway.
            }
        }

        public void Dispose() => signals.Unwatch(taskId);
    }
}
