using DuckWorker.Diagnostics;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Jobs;

/// <summary>
/// The jobs queue: chat jobs and continuations. A message that is not one of them, or breaks a limit, is
/// dead-lettered with the reason before anything runs, and its producer is told where it can be.
/// </summary>
internal sealed class JobsHandler(
    JobProcessor processor,
    RuntimeLoop loop,
    ITaskStore tasks,
    TaskAnnouncer announcer,
    RefusalAnnouncer refusals,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<JobsHandler> logger) : IDeliveryHandler
{
    public async Task<Settlement> HandleAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (!JobEnvelope.TryRead(delivery.Properties, delivery.Body.Span, out var job, out var reason))
        {
            return Settlement.DeadLetter(reason);
        }

        if (delivery.Redelivered)
        {
            DuckTelemetry.JobsRedelivered.Add(1);
        }

        try
        {
            return job switch
            {
                ChatJobV1 chat => await processor.ChatAsync(chat, delivery.Properties.ReplyTo, cancellationToken),
                ContinueJobV1 next => await processor.ContinueAsync(next, cancellationToken),
                _ => Settlement.DeadLetter($"Unexpected job {job.GetType().Name}."),
            };
        }
        catch (StoreUnavailableException ex)
        {
            logger.StoreUnavailable(ex.Message);
            return Settlement.Retry($"the store is unavailable: {ex.Message}");
        }
    }

    /// <summary>
    /// A chat job given up on after its task was made (its last delivery failed) fails that task with the
    /// reason, so that the lease sweeper does not run it again and its outcome is announced once, as a task's.
    /// Otherwise the producer hears of the refused message (<see cref="RefusalAnnouncer"/>).
    /// </summary>
    public async Task RefusedAsync(Delivery delivery, string reason, CancellationToken cancellationToken)
    {
        if (delivery.Body.Length <= options.Value.MaxMessageBytes
            && JobEnvelope.TryRead(delivery.Properties, delivery.Body.Span, out var job, out _)
            && job is ChatJobV1 chat)
        {
            try
            {
                if (await tasks.FindByJobIdAsync(chat.JobId, cancellationToken) is { } task)
                {
                    await FailAsync(task, reason, cancellationToken);
                    return;
                }
            }
            catch (StoreUnavailableException ex)
            {
                logger.StoreUnavailable(ex.Message);
            }
        }

        await refusals.AnnounceAsync(delivery, reason, cancellationToken);
    }

    private async Task FailAsync(AgentTask task, string reason, CancellationToken cancellationToken)
    {
        if (task.Status is not (AgentTaskStatus.Completed or AgentTaskStatus.Failed))
        {
            var owner = Ids.New();
            var now = time.GetUtcNow();
            if (await tasks.TryAcquireLeaseAsync(task.TaskId, owner, now + options.Value.LeaseDuration, now, cancellationToken) is not { } leased)
            {
                // Another run holds the task: it ends it, and announces it.
                logger.TaskHeldElsewhere(task.TaskId);
                return;
            }

            try
            {
                await loop.FailAsync(leased, reason, cancellationToken);
            }
            finally
            {
                await tasks.ReleaseLeaseAsync(task.TaskId, owner, time.GetUtcNow(), CancellationToken.None);
            }

            task = (await tasks.GetAsync(task.TaskId, cancellationToken))!;
        }

        await announcer.AnnounceAsync(task, cancellationToken);
    }
}
