namespace DuckWorker.RabbitMq.Consuming;

/// <summary>Handles the messages of one queue and says how each is settled.</summary>
public interface IDeliveryHandler
{
    /// <param name="cancellationToken">Cancelled when the worker stops and will not wait any longer for the message.</param>
    Task<Settlement> HandleAsync(Delivery delivery, CancellationToken cancellationToken);
}
