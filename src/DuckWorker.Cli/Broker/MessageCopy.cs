using DuckWorker.RabbitMq.Contracts;
using RabbitMQ.Client;

namespace DuckWorker.Cli.Broker;

/// <summary>
/// The properties for publishing a message again as new: the same id, type and body, without the headers the
/// broker and the dead-lettering added, so that the queue counts its deliveries from zero.
/// </summary>
internal static class MessageCopy
{
    public static BasicProperties Of(IReadOnlyBasicProperties properties)
    {
        var headers = properties.Headers?
            .Where(h => !IsDeliveryHistory(h.Key))
            .ToDictionary(h => h.Key, h => h.Value);
        return new BasicProperties(properties) { Headers = headers is { Count: > 0 } ? headers : null };
    }

    private static bool IsDeliveryHistory(string header) =>
        header is "x-death" or "x-delivery-count" or MessageHeaders.Reason or MessageHeaders.OriginalQueue
        || header.StartsWith("x-first-death-", StringComparison.Ordinal)
        || header.StartsWith("x-last-death-", StringComparison.Ordinal);
}
