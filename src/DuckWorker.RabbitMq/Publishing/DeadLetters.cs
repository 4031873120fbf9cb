using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// Moves a message the worker cannot take (malformed, of an unknown type, a rejected decision) to the
/// dead-letter queue, unchanged, with the reason in the <c>x-duck-reason</c> header. The caller then acks it:
/// a nack would dead-letter a second copy through the queue's own dead-lettering.
/// </summary>
public sealed class DeadLetters(RabbitMqPublisher publisher, IOptions<RabbitMqOptions> options, ILogger<DeadLetters> logger)
{
    public async Task MoveAsync(string queue, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body, string reason, CancellationToken cancellationToken)
    {
        var copy = new BasicProperties(properties)
        {
            DeliveryMode = DeliveryModes.Persistent,
            Headers = new Dictionary<string, object?>(properties.Headers ?? new Dictionary<string, object?>())
            {
                [MessageHeaders.Reason] = reason,
                [MessageHeaders.OriginalQueue] = queue,
            },
        };
        await publisher.PublishAsync(options.Value.DeadLetterExchange, queue, copy, body, mandatory: false, options.Value.PublishTimeout, cancellationToken);
        logger.DeadLettered(properties.MessageId, properties.Type, queue, reason);
    }
}
