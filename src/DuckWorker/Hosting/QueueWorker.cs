using DuckWorker.Diagnostics;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.RabbitMq.Topology;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace DuckWorker.Hosting;

/// <summary>
/// Consumes one queue for the life of the host: waits for the broker, declares the topology, and consumes
/// with manual acks, <paramref name="concurrency"/> messages in flight. A channel the broker closes is opened
/// again. On stop it takes no new messages, lets those in flight finish within <c>Worker:ShutdownTimeout</c>,
/// then hands the rest back unacknowledged.
/// </summary>
internal abstract class QueueWorker(
    string queue,
    int concurrency,
    TimeSpan shutdownTimeout,
    int maxMessageBytes,
    int deliveryLimit,
    IDeliveryHandler handler,
    RabbitMqConnection connections,
    RabbitMqTopology topology,
    DeadLetters deadLetters,
    TimeProvider time,
    ILogger logger) : BackgroundService
{
    private static readonly TimeSpan ChannelCheckInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long messages handed back may take to notice and stop, once the shutdown timeout has passed.</summary>
    private static readonly TimeSpan HandBackGrace = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connection = await connections.GetAsync(stoppingToken);
        await topology.DeclareAsync(connection, stoppingToken);
        using var abort = new CancellationTokenSource();
        IChannel? channel = null;
        QueueConsumer? consumer = null;
        string? tag = null;

        // Consumers of channels the broker closed: their jobs still run to the end (their settlement then fails and
        // the broker delivers those messages again), and a stopping worker waits for them too.
        var retired = new List<QueueConsumer>();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (channel is { IsOpen: false, CloseReason.Initiator: ShutdownInitiator.Peer } && connection.IsOpen)
                {
                    logger.ConsumerChannelClosed(queue, channel.CloseReason?.ReplyText ?? "closed");
                    retired.Add(consumer!);
                    await channel.DisposeAsync();
                    channel = null;
                }

                if (channel is null)
                {
                    (channel, consumer, tag) = await TryConsumeAsync(connection, abort.Token, stoppingToken);
                }

                retired.RemoveAll(old => old.InFlight == 0);
                await Task.Delay(ChannelCheckInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await StopAsync(channel, [.. retired, .. consumer is null ? [] : new[] { consumer }], tag, abort);
        }
    }

    /// <summary>Opens a channel and consumes; a broker that does not answer now is asked again at the next check.</summary>
    private async Task<(IChannel? Channel, QueueConsumer? Consumer, string? Tag)> TryConsumeAsync(IConnection connection, CancellationToken abort, CancellationToken stoppingToken)
    {
        IChannel? channel = null;
        try
        {
            channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: (ushort)concurrency),
                stoppingToken);
            await channel.BasicQosAsync(0, (ushort)concurrency, global: false, stoppingToken);
            var consumer = new QueueConsumer(channel, queue, handler, deadLetters, maxMessageBytes, deliveryLimit, logger, abort);
            var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
            logger.Consuming(queue, concurrency);
            return (channel, consumer, tag);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested
            && ex is OperationCanceledException or RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException)
        {
            logger.ConsumerChannelNotOpened(queue, ex.Message);
            if (channel is not null)
            {
                await channel.DisposeAsync();
            }

            return (null, null, null);
        }
    }

    private async Task StopAsync(IChannel? channel, QueueConsumer[] consumers, string? tag, CancellationTokenSource abort)
    {
        try
        {
            if (tag is not null && channel is { IsOpen: true })
            {
                await channel.BasicCancelAsync(tag);
            }
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // Without a channel nothing more is delivered anyway.
        }

        logger.Draining(queue, shutdownTimeout, consumers.Sum(c => c.InFlight));
        if (!await DrainAsync(consumers, shutdownTimeout))
        {
            logger.HandingBack(queue, consumers.Sum(c => c.InFlight));
            await abort.CancelAsync();
            await DrainAsync(consumers, HandBackGrace);
        }

        // Closing the channel returns every unacknowledged message to the queue.
        if (channel is not null)
        {
            await channel.DisposeAsync();
        }
    }

    private async Task<bool> DrainAsync(QueueConsumer[] consumers, TimeSpan timeout) =>
        (await Task.WhenAll(consumers.Select(c => c.DrainAsync(timeout, time)))).All(drained => drained);
}
