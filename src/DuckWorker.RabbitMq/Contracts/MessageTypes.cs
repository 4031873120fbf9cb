namespace DuckWorker.RabbitMq.Contracts;

/// <summary>The AMQP <c>type</c> of every message (docs/messages.md).</summary>
public static class MessageTypes
{
    public const string Chat = "duck.chat.v1";
    public const string Continue = "duck.continue.v1";
    public const string ApprovalDecision = "duck.approval-decision.v1";
    public const string ApprovalRequested = "duck.approval-requested.v1";
    public const string TaskFinished = "duck.task-finished.v1";
    public const string TaskEvent = "duck.task-event.v1";
}
