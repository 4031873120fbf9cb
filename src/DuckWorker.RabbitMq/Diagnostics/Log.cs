using DuckWorker.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace DuckWorker.RabbitMq.Diagnostics;

/// <summary>
/// The broker adapter's log messages (event ids 3000–3999). A message's id, type and the reasons that quote it
/// come from its producer: they are escaped here (<see cref="PrintableText.Escape"/>), so that none can forge
/// a log line.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Warning, "No broker answers at {Broker} (RabbitMq:Uri): {Error}. Trying again in {Delay}")]
    public static partial void BrokerUnreachable(this ILogger logger, string broker, string error, TimeSpan delay);

    [LoggerMessage(3002, LogLevel.Information, "Connected to RabbitMQ at {Broker}")]
    public static partial void BrokerConnected(this ILogger logger, string broker);

    [LoggerMessage(3003, LogLevel.Warning, "The connection to RabbitMQ was lost: {Reason}; it recovers by itself")]
    public static partial void BrokerConnectionLost(this ILogger logger, string reason);

    [LoggerMessage(3004, LogLevel.Information, "The connection to RabbitMQ recovered")]
    public static partial void BrokerConnectionRecovered(this ILogger logger);

    [LoggerMessage(3005, LogLevel.Information, "Closed the connection to RabbitMQ")]
    public static partial void BrokerConnectionClosed(this ILogger logger);

    public static void DeadLettered(this ILogger logger, string? messageId, string? type, string queue, string reason) =>
        logger.DeadLetteredEscaped(PrintableText.Escape(messageId), PrintableText.Escape(type), queue, PrintableText.Escape(reason));

    [LoggerMessage(3010, LogLevel.Warning, "Message {MessageId} ({Type}) from {Queue} moved to the dead-letter queue: {Reason}")]
    private static partial void DeadLetteredEscaped(this ILogger logger, string messageId, string type, string queue, string reason);

    [LoggerMessage(5301, LogLevel.Warning, "Queue {Queue} exists without the bound {Key}={MaxLength}, and RabbitMQ does not change a queue's arguments ({Refusal}): it stays as it is, unbounded. To bound it, delete the queue (its messages go with it) and start again, or apply a policy, e.g. rabbitmqctl set_policy {Queue}-bound '^{Queue}$' '{{\"max-length\":{MaxLength},\"overflow\":\"drop-head\"}}' --apply-to queues, and set {Key}=0 to declare it without arguments")]
    public static partial void QueueNotBounded(this ILogger logger, string queue, string key, int maxLength, string refusal);

    [LoggerMessage(3011, LogLevel.Warning, "Publishing {Type} to {Exchange}/{RoutingKey} failed, trying again: {Error}")]
    public static partial void PublishRetry(this ILogger logger, string type, string exchange, string routingKey, string error);

    [LoggerMessage(3012, LogLevel.Debug, "Event {Seq} ({EventType}) of task {TaskId} was stored but could not be announced: {Error}")]
    public static partial void EventNotAnnounced(this ILogger logger, string taskId, long seq, string eventType, string error);

    [LoggerMessage(3013, LogLevel.Warning, "Settling delivery {DeliveryTag} failed (the broker will deliver it again): {Error}")]
    public static partial void SettleFailed(this ILogger logger, ulong deliveryTag, string error);

    public static void HandlerFailed(this ILogger logger, Exception exception, string? messageId, string? type) =>
        logger.HandlerFailedEscaped(exception, PrintableText.Escape(messageId), PrintableText.Escape(type));

    [LoggerMessage(3014, LogLevel.Error, "Handling message {MessageId} ({Type}) failed unexpectedly; it goes back to the queue unless that was its last delivery")]
    private static partial void HandlerFailedEscaped(this ILogger logger, Exception exception, string messageId, string type);

    public static void DeadLetterFailed(this ILogger logger, Exception exception, string? messageId, string? type) =>
        logger.DeadLetterFailedEscaped(exception, PrintableText.Escape(messageId), PrintableText.Escape(type));

    [LoggerMessage(3015, LogLevel.Error, "Moving message {MessageId} ({Type}) to the dead-letter queue failed; it goes back to the queue")]
    private static partial void DeadLetterFailedEscaped(this ILogger logger, Exception exception, string messageId, string type);

    public static void RefusalNotAnnounced(this ILogger logger, string? messageId, string? type, string error) =>
        logger.RefusalNotAnnouncedEscaped(PrintableText.Escape(messageId), PrintableText.Escape(type), error);

    [LoggerMessage(3016, LogLevel.Warning, "Message {MessageId} ({Type}) was dead-lettered, but its producer could not be told: {Error}")]
    private static partial void RefusalNotAnnouncedEscaped(this ILogger logger, string messageId, string type, string error);
}
