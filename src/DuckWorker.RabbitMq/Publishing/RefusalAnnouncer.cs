using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// Tells the producer of a job that the worker refused it (dead-lettered, with the reason): a
/// <c>duck.task-finished.v1</c> with status <c>failed</c>, no task id and the reason as its
/// <c>finalResponse</c>, to the job's <c>reply_to</c> and, when the job carried a readable job id, as
/// <c>task.failed</c> on the events exchange. Its <c>correlation_id</c> is the job id when that fits an AMQP
/// short string, else the job's own <c>correlation_id</c> or <c>message_id</c>. A continuation is the worker's
/// own message: its task still waits for it, and no producer waits for its refusal.
/// </summary>
public sealed class RefusalAnnouncer(RabbitMqPublisher publisher, IOptions<RabbitMqOptions> options)
{
    public async Task AnnounceAsync(Delivery delivery, string reason, CancellationToken cancellationToken)
    {
        var properties = delivery.Properties;
        if (properties.Type == MessageTypes.Continue
            || (string.IsNullOrEmpty(properties.Type) && MessageBody.FindString(delivery.Body.Span, "approvalId"u8) is not null))
        {
            return;
        }

        var jobId = MessageBody.FindString(delivery.Body.Span, "jobId"u8);
        var message = new TaskFinishedV1(null, jobId, "failed", reason, null);
        var correlationId = jobId is not null && MessageLimits.IdProblem("jobId", jobId) is null
            ? jobId
            : properties.CorrelationId ?? properties.MessageId;
        if (jobId is not null)
        {
            await publisher.PublishAsync(options.Value.EventsExchange, RoutingKeys.TaskFailed, MessageTypes.TaskFinished, message, correlationId, mandatory: false, cancellationToken);
        }

        if (!string.IsNullOrEmpty(properties.ReplyTo))
        {
            await publisher.PublishAsync("", properties.ReplyTo, MessageTypes.TaskFinished, message, correlationId, mandatory: false, cancellationToken);
        }
    }
}
