namespace DuckWorker.RabbitMq.Consuming;

public enum SettlementKind
{
    Ack,
    Requeue,
    Abandon,
    DeadLetter,
}
