using System.Text.Json;
using RabbitMQ.Client;

namespace DuckWorker.Cli.Broker;

/// <summary>
/// The messages of a queue that others read too (an approvers' inbox), taken one at a time when the reader is
/// ready for one. What the reader does not acknowledge stays its own until the command ends, then goes back to
/// the queue: for the next reader, in its place.
/// </summary>
internal sealed class SharedQueue(IChannel channel, string queue) : IAsyncDisposable
{
    /// <summary>The next message, or null when the queue holds none now.</summary>
    public async Task<FeedMessage?> TakeAsync(CancellationToken cancellationToken)
    {
        if (await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is not { } delivery)
        {
            return null;
        }

        return new FeedMessage(delivery.RoutingKey, delivery.BasicProperties.Type, delivery.BasicProperties.CorrelationId, Read(delivery.Body), delivery.DeliveryTag);
    }

    /// <summary>The body, or an empty object when it is not JSON: the reader then finds none of what it needs in it.</summary>
    private static JsonElement Read(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            return empty.RootElement.Clone();
        }
    }

    /// <summary>Removes the message from the queue: it was handled, or it is of no use to anyone.</summary>
    public ValueTask AckAsync(FeedMessage message, CancellationToken cancellationToken) =>
        channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);

    public async ValueTask DisposeAsync() => await channel.DisposeAsync();
}
