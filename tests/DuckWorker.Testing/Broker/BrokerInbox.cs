using System.Collections.Concurrent;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace DuckWorker.Testing.Broker;

/// <summary>Collects the messages of one queue as they arrive, for a test to wait on.</summary>
public sealed class BrokerInbox : IAsyncDisposable
{
    private readonly IChannel channel;
    private readonly ConcurrentQueue<ReceivedMessage> received = new();
    private readonly SemaphoreSlim arrived = new(0);

    private BrokerInbox(IChannel channel, string queue)
    {
        this.channel = channel;
        Queue = queue;
    }

    public string Queue { get; }

    public IReadOnlyList<ReceivedMessage> Received => [.. received];

    public static async Task<BrokerInbox> StartAsync(IChannel channel, string queue, CancellationToken cancellationToken)
    {
        var inbox = new BrokerInbox(channel, queue);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var properties = delivery.BasicProperties;
            inbox.received.Enqueue(new ReceivedMessage(
                delivery.RoutingKey,
                properties.Type,
                properties.ContentType,
                properties.Persistent,
                properties.MessageId,
                properties.CorrelationId,
                (properties.Headers ?? new Dictionary<string, object?>())
                    .Where(h => h.Value is byte[])
                    .ToDictionary(h => h.Key, h => Encoding.UTF8.GetString((byte[])h.Value!)),
                Encoding.UTF8.GetString(delivery.Body.Span)));
            inbox.arrived.Release();
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken);
        return inbox;
    }

    /// <summary>Waits until a message matching <paramref name="match"/> has arrived and returns it.</summary>
    public async Task<ReceivedMessage> WaitForAsync(Func<ReceivedMessage, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            if (received.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            try
            {
                await arrived.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching message arrived on {Queue} within {timeout}; received {received.Count}: {string.Join(" | ", received.Select(r => $"{r.RoutingKey} {r.Body}").Take(20))}");
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages matching <paramref name="match"/> have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForCountAsync(Func<ReceivedMessage, bool> match, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        while (true)
        {
            var found = received.Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            try
            {
                await arrived.WaitAsync(limit.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Only {found.Count} of {count} matching messages arrived on {Queue} within {timeout}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        arrived.Dispose();
    }
}
