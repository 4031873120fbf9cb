namespace DuckWorker.RabbitMq.Contracts;

/// <summary>The routing keys of what the worker announces on the events exchange.</summary>
public static class RoutingKeys
{
    public const string ApprovalRequested = "approval.requested";
    public const string TaskCompleted = "task.completed";
    public const string TaskFailed = "task.failed";
    public const string TaskEventPrefix = "task.event.";
}
