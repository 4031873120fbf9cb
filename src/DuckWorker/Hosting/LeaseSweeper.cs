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
/// while it still ran) and puts their job back into the jobs queue, where it resumes the task.
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
        var swept = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(worker.Value.SweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var expired = await tasks.ListExpiredLeasesAsync(time.GetUtcNow(), Batch, stoppingToken);
                foreach (var task in expired.Where(t => !swept.TryGetValue(t.TaskId, out var at) || at != t.LeaseExpiresAt))
                {
                    logger.SweptExpiredLease(task.TaskId, task.LeaseExpiresAt!.Value);
                    await publisher.PublishAsync("", rabbit.Value.JobsQueue, MessageTypes.Chat, new ChatJobV1(task.JobId, task.Message), task.JobId, mandatory: true, stoppingToken);
                    swept[task.TaskId] = task.LeaseExpiresAt!.Value;
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
}
