using RabbitMQ.Client;

namespace DuckWorker.Cli.Broker;

/// <summary>
/// Messages taken from a queue without acknowledging them, so that a person can see what waits there. Until it
/// is disposed nobody else gets them; disposing hands every one not yet settled back to the queue, in its place.
/// </summary>
internal sealed class QueuePeek : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel channel;
    private readonly List<BasicGetResult> messages;
    private readonly uint ready;
    private int removed;

    private QueuePeek(IConnection connection, IChannel channel, string queue, QueueDeclareOk counts, List<BasicGetResult> messages)
    {
        this.connection = connection;
        this.channel = channel;
        Queue = queue;
        Waiting = Math.Max(counts.MessageCount, (uint)messages.Count);
        Consumers = counts.ConsumerCount;
        ready = counts.MessageCount;
        this.messages = messages;
    }

    public string Queue { get; }

    /// <summary>How many messages the queue held when the peek began (it may hold more than were taken).</summary>
    public uint Waiting { get; }

    /// <summary>How many consumers (workers, for the jobs queue) the queue had.</summary>
    public uint Consumers { get; }

    public IReadOnlyList<BasicGetResult> Messages => messages;

    public static async Task<QueuePeek> TakeAsync(IConnection connection, string queue, int limit, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        QueueDeclareOk counts;
        var taken = new List<BasicGetResult>();
        try
        {
            counts = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            while (taken.Count < limit && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message)
            {
                taken.Add(message);
            }
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }

        return new QueuePeek(connection, channel, queue, counts, taken);
    }

    /// <summary>Settles one message for good: it leaves the queue.</summary>
    public async Task RemoveAsync(BasicGetResult message, CancellationToken cancellationToken)
    {
        await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
        messages.Remove(message);
        removed++;
    }

    /// <summary>Publishes a copy with publisher confirms on the peeking channel's connection, before anything is removed.</summary>
    public async Task PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        await using var publishing = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        await publishing.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (messages.Count > 0 && channel.IsOpen)
        {
            // Back where they were: the queue delivers requeued messages before the ones behind them.
            await channel.BasicNackAsync(messages.Max(m => m.DeliveryTag), multiple: true, requeue: true);

            // The queue takes them back after the nack returns: waiting (a little, as consumers may take some
            // meanwhile) lets the next look, even one started at once, see them.
            for (var i = 0; i < 50 && await channel.MessageCountAsync(Queue) < ready - removed; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }

        await channel.DisposeAsync();
    }
}
