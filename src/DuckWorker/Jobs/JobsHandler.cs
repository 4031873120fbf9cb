using DuckWorker.Diagnostics;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Jobs;

/// <summary>
/// The jobs queue: chat jobs and continuations. A message that is not one of them, or breaks a limit, is
/// dead-lettered with the reason before anything runs, and its producer is told where it can be.
/// </summary>
internal sealed class JobsHandler(JobProcessor processor, RefusalAnnouncer refusals, ILogger<JobsHandler> logger) : IDeliveryHandler
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

    public Task RefusedAsync(Delivery delivery, string reason, CancellationToken cancellationToken) =>
        refusals.AnnounceAsync(delivery, reason, cancellationToken);
}
