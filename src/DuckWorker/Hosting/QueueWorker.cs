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
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (channel is { IsOpen: false, CloseReason.Initiator: ShutdownInitiator.Peer } && connection.IsOpen)
                {
                    logger.ConsumerChannelClosed(queue, channel.CloseReason?.ReplyText ?? "closed");
                    await channel.DisposeAsync();
                    channel = null;
                }

                if (channel is null)
                {
                    channel = await connection.CreateChannelAsync(
                        new CreateChannelOptions(publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: (ushort)concurrency),
                        stoppingToken);
                    await channel.BasicQosAsync(0, (ushort)concurrency, global: false, stoppingToken);
                    consumer = new QueueConsumer(channel, queue, handler, deadLetters, maxMessageBytes, deliveryLimit, logger, abort.Token);
                    tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, stoppingToken);
                    logger.Consuming(queue, concurrency);
                }

                await Task.Delay(ChannelCheckInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (channel is not null)
            {
                await StopAsync(channel, consumer!, tag, abort);
            }
        }
    }

    private async Task StopAsync(IChannel channel, QueueConsumer consumer, string? tag, CancellationTokenSource abort)
    {
        try
        {
            if (tag is not null && channel.IsOpen)
            {
                await channel.BasicCancelAsync(tag);
            }
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            // Without a channel nothing more is delivered anyway.
        }

        logger.Draining(queue, shutdownTimeout, consumer.InFlight);
        if (!await consumer.DrainAsync(shutdownTimeout, time))
        {
            logger.HandingBack(queue, consumer.InFlight);
            await abort.CancelAsync();
            await consumer.DrainAsync(HandBackGrace, time);
        }

        // Closing the channel returns every unacknowledged message to the queue.
        await channel.DisposeAsync();
    }
}
