using Microsoft.Extensions.Logging;

namespace DuckWorker.RabbitMq.Diagnostics;

/// <summary>The broker adapter's log messages (event ids 3000–3999).</summary>
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

    [LoggerMessage(3010, LogLevel.Warning, "Message {MessageId} ({Type}) from {Queue} moved to the dead-letter queue: {Reason}")]
    public static partial void DeadLettered(this ILogger logger, string? messageId, string? type, string queue, string reason);

    [LoggerMessage(3011, LogLevel.Warning, "Publishing {Type} to {Exchange}/{RoutingKey} failed, trying again: {Error}")]
    public static partial void PublishRetry(this ILogger logger, string type, string exchange, string routingKey, string error);

    [LoggerMessage(3012, LogLevel.Debug, "Event {Seq} ({EventType}) of task {TaskId} was stored but could not be announced: {Error}")]
    public static partial void EventNotAnnounced(this ILogger logger, string taskId, long seq, string eventType, string error);

    [LoggerMessage(3013, LogLevel.Warning, "Settling delivery {DeliveryTag} failed (the broker will deliver it again): {Error}")]
    public static partial void SettleFailed(this ILogger logger, ulong deliveryTag, string error);

    [LoggerMessage(3014, LogLevel.Error, "Handling message {MessageId} ({Type}) failed unexpectedly; it goes back to the queue")]
    public static partial void HandlerFailed(this ILogger logger, Exception exception, string? messageId, string? type);
}
