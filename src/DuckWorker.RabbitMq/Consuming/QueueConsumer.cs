using DuckWorker.RabbitMq.Diagnostics;
using DuckWorker.RabbitMq.Publishing;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>
/// Consumes one queue with manual acknowledgements: each delivery goes to the handler, beside the client's
/// dispatcher, then is settled on the channel that delivered it. It counts the deliveries in flight so that a
/// stopping worker can wait for them.
/// The worker, not the broker, dead-letters what it gives up on, so that every dead letter carries a reason:
/// a body over <paramref name="maxMessageBytes"/> before it is read, and a delivery that would go back to the
/// queue on its last allowed delivery (<paramref name="deliveryLimit"/>, the queue's <c>x-delivery-limit</c>).
/// </summary>
public sealed class QueueConsumer(
    IChannel channel,
    string queue,
    IDeliveryHandler handler,
    DeadLetters deadLetters,
    int maxMessageBytes,
    int deliveryLimit,
    ILogger logger,
    CancellationToken abort) : AsyncDefaultBasicConsumer(channel)
{
    /// <summary>Set by quorum queues on a redelivery: how many times the message went back to the queue before.</summary>
    private const string DeliveryCountHeader = "x-delivery-count";

    private readonly object sync = new();
    private int inFlight;
    private TaskCompletionSource idle = Idle();

    public int InFlight => Volatile.Read(ref inFlight);

    public override Task HandleBasicDeliverAsync(
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

        // The client shuts a channel down through the dispatcher that calls this method, and while that waits for
        // a handler the whole connection stalls: no publisher confirm, no new channel. A job held past the broker's
        // consumer_timeout would then stop the worker. So the job runs beside the dispatcher, and the channel's
        // prefetch (BasicQos) still bounds how many run at once. The body is only valid during this call.
        var delivery = new Delivery(queue, properties, body.ToArray(), redelivered);
        _ = Task.Run(() => ProcessAsync(deliveryTag, delivery), CancellationToken.None);
        return Task.CompletedTask;
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

    private async Task ProcessAsync(ulong deliveryTag, Delivery delivery)
    {
        try
        {
            var settlement = await HandleAsync(delivery);
            if (settlement.Kind == SettlementKind.Requeue && DeliveryCount(delivery.Properties) >= deliveryLimit)
            {
                // The broker would dead-letter it on its return with nothing but x-death: say why instead.
                settlement = Settlement.DeadLetter(
                    $"The message was delivered {DeliveryCount(delivery.Properties) + 1} times (RabbitMq:DeliveryLimit is {deliveryLimit}) without being handled; " +
                    $"the last attempt: {settlement.Reason ?? "a transient failure"}");
            }

            if (settlement.Kind == SettlementKind.DeadLetter)
            {
                settlement = await DeadLetterAsync(delivery, settlement.Reason!);
            }

            await SettleAsync(deliveryTag, settlement);
        }
        finally
        {
            Finished();
        }
    }

    private async Task<Settlement> HandleAsync(Delivery delivery)
    {
        if (delivery.Body.Length > maxMessageBytes)
        {
            // Refused before it is read: a body this large would be copied into every model call of its task.
            return Settlement.DeadLetter($"The message has {delivery.Body.Length} bytes; Worker:MaxMessageBytes allows {maxMessageBytes}.");
        }

        try
        {
            return await handler.HandleAsync(delivery, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return Settlement.Abandon;
        }
        catch (Exception ex)
        {
            // A failure the handler did not expect must not lose the message nor stop the worker.
            logger.HandlerFailed(ex, delivery.Properties.MessageId, delivery.Properties.Type);
            return Settlement.Retry($"handling it failed unexpectedly: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Moves the message to the dead-letter queue with the reason, then tells its producer where it can.</summary>
    private async Task<Settlement> DeadLetterAsync(Delivery delivery, string reason)
    {
        try
        {
            await deadLetters.MoveAsync(queue, delivery.Properties, delivery.Body, reason, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return Settlement.Abandon;
        }
        catch (Exception ex)
        {
            logger.DeadLetterFailed(ex, delivery.Properties.MessageId, delivery.Properties.Type);
            return Settlement.Requeue;
        }

        try
        {
            await handler.RefusedAsync(delivery, reason, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Stopping: the dead letter is the record.
        }
        catch (Exception ex)
        {
            // The dead letter is the record: the message is settled even when its producer could not be told.
            logger.RefusalNotAnnounced(delivery.Properties.MessageId, delivery.Properties.Type, ex.Message);
        }

        return Settlement.DeadLetter(reason);
    }

    private static long DeliveryCount(IReadOnlyBasicProperties properties) =>
        properties.Headers?.TryGetValue(DeliveryCountHeader, out var count) == true
            ? count switch
            {
                long value => value,
                int value => value,
                short value => value,
                byte value => value,
                sbyte value => value,
                _ => 0,
            }
            : 0;

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
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException or ObjectDisposedException)
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
