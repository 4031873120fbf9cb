using DuckWorker.Diagnostics;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

/// <summary>
/// Finds running tasks whose lease expired (their worker died, or its job was acknowledged by a redelivery
/// while it still ran), and tasks that wait for an approval already decided whose continuation never moved
/// them on (it was lost, or came while a dead run still held the lease), and puts their job back into the jobs
/// queue, where it resumes the task.
/// </summary>
internal sealed class LeaseSweeper(
    ITaskStore tasks,
    RabbitMqPublisher publisher,
    IOptions<RabbitMqOptions> rabbit,
    IOptions<WorkerOptions> worker,
    TimeProvider time,
    ILogger<LeaseSweeper> logger) : BackgroundService
{
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A task put back once is not put back again for the same expired lease, even if it waits in the queue a while.
        var swept = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(worker.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var now = time.GetUtcNow();
                var expired = await tasks.ListExpiredLeasesAsync(now, Batch, stoppingToken);
                foreach (var task in expired.Where(t => IsNew(swept, t)))
                {
                    logger.SweptExpiredLease(task.TaskId, task.LeaseExpiresAt!.Value);
                    await PutBackAsync(task, swept, stoppingToken);
                }

                var decided = await tasks.ListWaitingOnDecidedApprovalAsync(now, Batch, stoppingToken);
                foreach (var task in decided.Where(t => IsNew(swept, t)))
                {
                    logger.SweptDecidedWait(task.TaskId);
                    await PutBackAsync(task, swept, stoppingToken);
                }

                if (swept.Count > 10 * Batch)
                {
                    swept.Clear();
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A sweep that fails (no store, no broker) is tried again at the next tick; the worker keeps serving.
                logger.SweepFailed(ex.Message);
            }
        }
    }

    // A task is put back once per lease that ended: a job that takes it takes a new lease.
    private static bool IsNew(Dictionary<string, DateTimeOffset?> swept, AgentTask task) =>
        !swept.TryGetValue(task.TaskId, out var at) || at != task.LeaseExpiresAt;

    private async Task PutBackAsync(AgentTask task, Dictionary<string, DateTimeOffset?> swept, CancellationToken cancellationToken)
    {
        await publisher.PublishAsync("", rabbit.Value.JobsQueue, MessageTypes.Chat, new ChatJobV1(task.JobId, task.Message), task.JobId, mandatory: true, cancellationToken);
        swept[task.TaskId] = task.LeaseExpiresAt;
    }
}
