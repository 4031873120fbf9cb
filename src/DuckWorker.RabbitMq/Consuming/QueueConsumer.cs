using DuckWorker.RabbitMq.Diagnostics;
using DuckWorker.RabbitMq.Publishing;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>
/// Consumes one queue with manual acknowledgements: each delivery goes to the handler, then is settled on the
/// channel that delivered it. It counts the deliveries in flight so that a stopping worker can wait for them.
/// </summary>
public sealed class QueueConsumer(
    IChannel channel,
    string queue,
    IDeliveryHandler handler,
    DeadLetters deadLetters,
    ILogger logger,
    CancellationToken abort) : AsyncDefaultBasicConsumer(channel)
{
    private readonly object sync = new();
    private int inFlight;
    private TaskCompletionSource idle = Idle();

    public int InFlight => Volatile.Read(ref inFlight);

    public override async Task HandleBasicDeliverAsync(
        string consumerTag,
        ulong deliveryTag,
        bool redelivered,
        string exchange,
        string routingKey,
        IReadOnlyBasicProperties properties,
        ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken = default)
    {
        Started();
        try
        {
            Settlement settlement;
            try
            {
                settlement = await handler.HandleAsync(new Delivery(queue, properties, body, redelivered), abort);
                if (settlement.Kind == SettlementKind.DeadLetter)
                {
                    await deadLetters.MoveAsync(queue, properties, body, settlement.Reason!, abort);
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                settlement = Settlement.Abandon;
            }
            catch (Exception ex)
            {
                // A failure the handler did not expect must not lose the message nor stop the worker.
                logger.HandlerFailed(ex, properties.MessageId, properties.Type);
                settlement = Settlement.Requeue;
            }

            await SettleAsync(deliveryTag, settlement);
        }
        finally
        {
            Finished();
        }
    }

    /// <summary>Waits until no delivery is in flight, or the timeout passes; true when none is left.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, TimeProvider time)
    {
        Task waiting;
        lock (sync)
        {
            waiting = idle.Task;
        }

        try
        {
            await waiting.WaitAsync(timeout, time);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task SettleAsync(ulong deliveryTag, Settlement settlement)
    {
        try
        {
            switch (settlement.Kind)
            {
                case SettlementKind.Ack or SettlementKind.DeadLetter:
                    await Channel.BasicAckAsync(deliveryTag, multiple: false);
                    break;
                case SettlementKind.Requeue:
                    await Channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true);
                    break;
            }
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException)
        {
            // The channel went away with the delivery: the broker requeues it, and its task's state decides what the redelivery does.
            logger.SettleFailed(deliveryTag, ex.Message);
        }
    }

    private void Started()
    {
        lock (sync)
        {
            if (inFlight++ == 0)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    private void Finished()
    {
        lock (sync)
        {
            if (--inFlight == 0)
            {
                idle.TrySetResult();
            }
        }
    }

    private static TaskCompletionSource Idle()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
