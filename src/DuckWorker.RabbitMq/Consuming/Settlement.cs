namespace DuckWorker.RabbitMq.Consuming;

/// <summary>What becomes of a delivery once its handler is done with it.</summary>
public sealed record Settlement
{
    private Settlement(SettlementKind kind, string? reason = null)
    {
        Kind = kind;
        Reason = reason;
    }

    public SettlementKind Kind { get; }

    /// <summary>Why the message is dead-lettered, or why it goes back to the queue when that is known.</summary>
    public string? Reason { get; }

    /// <summary>Done: the outcome is stored and announced.</summary>
    public static Settlement Ack { get; } = new(SettlementKind.Ack);

    /// <summary>A transient failure: the message goes back to the queue (the queue's delivery limit caps the attempts).</summary>
    public static Settlement Requeue { get; } = new(SettlementKind.Requeue);

    /// <summary>
    /// A transient failure, with what failed: the message goes back to the queue, unless this was its last
    /// delivery (<c>RabbitMq:DeliveryLimit</c>), when it is dead-lettered with this reason.
    /// </summary>
    public static Settlement Retry(string reason) => new(SettlementKind.Requeue, reason);

    /// <summary>The worker is stopping: the message is left unacknowledged and returns to the queue when the channel closes.</summary>
    public static Settlement Abandon { get; } = new(SettlementKind.Abandon);

    /// <summary>The message can never be handled: it is moved to the dead-letter queue with the reason, then acknowledged.</summary>
    public static Settlement DeadLetter(string reason) => new(SettlementKind.DeadLetter, reason);
}
