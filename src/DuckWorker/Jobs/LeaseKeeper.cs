using DuckWorker.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Jobs;

/// <summary>
/// Holds a task's lease while its run goes on: renews it every third of its duration and, when another run
/// took it (this one was presumed dead), cancels <see cref="Token"/> so that the two never run at once.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    private readonly ITaskStore tasks;
    private readonly string taskId;
    private readonly TimeSpan duration;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource lost = new();
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource linked;
    private readonly Task renewing;

    public LeaseKeeper(ITaskStore tasks, string taskId, string owner, TimeSpan duration, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        this.tasks = tasks;
        this.taskId = taskId;
        Owner = owner;
        this.duration = duration;
        this.time = time;
        this.logger = logger;
        linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost.Token);
        renewing = RenewAsync();
    }

    public string Owner { get; }

    /// <summary>Cancelled when the caller's token is, or when the lease was lost.</summary>
    public CancellationToken Token => linked.Token;

    public bool Lost => lost.IsCancellationRequested;

    /// <summary>Stops renewing and ends the lease at once, so that another run may take the task without waiting for it to expire.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            await tasks.ReleaseLeaseAsync(taskId, Owner, time.GetUtcNow(), CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // The lease then ends when it expires.
        }
    }

    /// <summary>
    /// Stops renewing and leaves the lease to expire: for a task that finished, which no run takes again, so that
    /// ending its lease would be a store write for nothing.
    /// </summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await renewing;
        linked.Dispose();
        lost.Dispose();
        stop.Dispose();
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(duration / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                try
                {
                    if (!await tasks.RenewLeaseAsync(taskId, Owner, time.GetUtcNow() + duration, stop.Token))
                    {
                        logger.LeaseLost(taskId);
                        await lost.CancelAsync();
                        return;
                    }
                }
                catch (StoreUnavailableException)
                {
                    // Tried again at the next tick; the lease lasts three of them.
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
