using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// Publishes with publisher confirms on one channel shared by all callers: a publish returns once the broker
/// has taken the message. While the broker is away it tries again until <c>RabbitMq:PublishTimeout</c> (or
/// the caller's own limit) runs out.
/// </summary>
public sealed class RabbitMqPublisher(
    RabbitMqConnection connection,
    IOptions<RabbitMqOptions> options,
    TimeProvider time,
    ILogger<RabbitMqPublisher> logger) : IAsyncDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim gate = new(1, 1);
    private IChannel? channel;

    public Task PublishAsync<T>(string exchange, string routingKey, string type, T message, string? correlationId, bool mandatory, CancellationToken cancellationToken) =>
        PublishAsync(exchange, routingKey, NewProperties(type, correlationId), ContractJson.Serialize(message), mandatory, options.Value.PublishTimeout, cancellationToken);

    /// <summary>Publishes and waits for the broker's confirm, trying again while the broker cannot take it, for at most <paramref name="timeout"/>.</summary>
    public async Task PublishAsync(
        string exchange,
        string routingKey,
        BasicProperties properties,
        ReadOnlyMemory<byte> body,
        bool mandatory,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            // A confirm that was in flight when the connection dropped may never come: each attempt has its own limit.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(limit.Token);
            attempt.CancelAfter(AttemptTimeout);
            try
            {
                var publishing = await ChannelAsync(attempt.Token);
                await publishing.BasicPublishAsync(exchange, routingKey, mandatory, properties, body, attempt.Token);
                return;
            }
            catch (Exception ex) when ((IsRetryable(ex) || ex is OperationCanceledException) && !limit.IsCancellationRequested)
            {
                logger.PublishRetry(properties.Type ?? "?", exchange, routingKey, ex.Message);
                await Task.Delay(delay, time, limit.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            }
        }
    }

    /// <summary>True when the channel is open: a publish started now goes straight onto it, in the order it started.</summary>
    public bool IsOpen => channel is { IsOpen: true };

    /// <summary>
    /// Opens the channel as a first publish would, when the connection is up; while it is down, returns at once (a
    /// publish then tries again on its own, and the connection recovers the channel it had). Publishes that find
    /// no open channel each wait for it on their own, and go out in whichever order they wake: one that must keep
    /// its place behind others opens it first.
    /// </summary>
    public Task OpenAsync(CancellationToken cancellationToken) =>
        connection.IsConnected ? ChannelAsync(cancellationToken) : Task.CompletedTask;

    public static BasicProperties NewProperties(string type, string? correlationId) => new()
    {
        ContentType = "application/json",
        DeliveryMode = DeliveryModes.Persistent,
        Type = type,
        MessageId = Guid.NewGuid().ToString("N"),
        // AMQP cannot carry a longer one: the message goes out without it rather than not at all.
        CorrelationId = MessageLimits.FitsShortString(correlationId) ? correlationId : null,
        Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
    };

    public async ValueTask DisposeAsync()
    {
        if (channel is not null)
        {
            await channel.DisposeAsync();
        }

        gate.Dispose();
    }

    private async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        if (channel is { IsOpen: true } open)
        {
            return open;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            // A channel the broker closed for an error (not a lost connection, which recovers) is replaced.
            if (channel is { IsOpen: false, CloseReason.Initiator: ShutdownInitiator.Peer } broken && (await connection.GetAsync(cancellationToken)).IsOpen)
            {
                await broken.DisposeAsync();
                channel = null;
            }

            return channel ??= await (await connection.GetAsync(cancellationToken)).CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private static bool IsRetryable(Exception ex) =>
        ex is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or IOException
        || (ex is PublishException { IsReturn: false });
}
