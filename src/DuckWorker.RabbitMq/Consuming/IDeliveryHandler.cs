namespace DuckWorker.RabbitMq.Consuming;

/// <summary>Handles the messages of one queue and says how each is settled.</summary>
public interface IDeliveryHandler
{
    /// <param name="cancellationToken">Cancelled when the worker stops and will not wait any longer for the message.</param>
    Task<Settlement> HandleAsync(Delivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Tells the message's producer, where it can be told, that the worker gave up on the message: it was
    /// dead-lettered with <paramref name="reason"/> (by the handler, for its size, or on its last delivery).
    /// </summary>
    Task RefusedAsync(Delivery delivery, string reason, CancellationToken cancellationToken) => Task.CompletedTask;
}
