using DuckWorker.Approvals;
using DuckWorker.Diagnostics;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

/// <summary>
/// With <c>Approvals:Timeout</c> set, ends the approvals nobody decided in time: each is closed, its task fails
/// with the reason, and the outcome is announced like any finished task's. Several workers may sweep at once:
/// the store lets one close each approval.
/// </summary>
internal sealed class ApprovalExpirySweeper(
    IApprovalStore approvals,
    RuntimeLoop loop,
    TaskAnnouncer announcer,
    IOptions<ApprovalsOptions> options,
    IOptions<WorkerOptions> worker,
    TimeProvider time,
    ILogger<ApprovalExpirySweeper> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Timeout is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(worker.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A sweep that fails (no store, no broker) is tried again at the next tick; the worker keeps serving.
                logger.ApprovalSweepFailed(ex.Message);
            }
        }
    }

    /// <summary>One sweep: expires every pending approval older than the timeout; returns how many tasks it ended.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Timeout is not { } timeout)
        {
            return 0;
        }

        var ended = 0;
        var cutoff = time.GetUtcNow() - timeout;
        var pending = await approvals.ListPendingAsync(Batch, cancellationToken);
        foreach (var approval in pending.TakeWhile(a => a.CreatedAt < cutoff))
        {
            if (await loop.ExpireApprovalAsync(approval, timeout, cancellationToken) is { } task)
            {
                await announcer.AnnounceAsync(task, cancellationToken);
                ended++;
            }
        }

        return ended;
    }
}
