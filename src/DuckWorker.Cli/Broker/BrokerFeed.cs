using System.Text.Json;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace DuckWorker.Cli.Broker;

/// <summary>Messages of one private queue as they arrive (acknowledged on delivery), read one at a time.</summary>
internal sealed class BrokerFeed : IAsyncDisposable
{
    private readonly IChannel channel;
    private readonly Channel<FeedMessage> arrived = Channel.CreateUnbounded<FeedMessage>();

    private BrokerFeed(IChannel channel, string queue)
    {
        this.channel = channel;
        Queue = queue;
    }

    public string Queue { get; }

    public static async Task<BrokerFeed> StartAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        var feed = new BrokerFeed(channel, queue);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            using var body = JsonDocument.Parse(delivery.Body);
            await feed.arrived.Writer.WriteAsync(new FeedMessage(
                delivery.RoutingKey,
                delivery.BasicProperties.Type,
                delivery.BasicProperties.CorrelationId,
                body.RootElement.Clone(),
                delivery.DeliveryTag));
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken);
        return feed;
    }

    /// <summary>The next message, or null when none came within <paramref name="timeout"/>.</summary>
    public async Task<FeedMessage?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await arrived.Reader.ReadAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync() => await channel.DisposeAsync();
}
