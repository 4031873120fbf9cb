using DuckWorker.Runtime.Loop;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>The task events of approvals and outcomes: what <see cref="AnnouncedEvents.Lifecycle"/> announces.</summary>
public static class LifecycleEvents
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal)
    {
        EventTypes.ToolApprovalRequested,
        EventTypes.TaskWaitingForApproval,
        EventTypes.ApprovalEdited,
        EventTypes.ApprovalDecisionRejected,
        EventTypes.ApprovalExpired,
        EventTypes.TaskContinued,
        EventTypes.TaskResumed,
        EventTypes.TaskCompleted,
        EventTypes.TaskFailed,
        EventTypes.TaskCancelled,
    };

    /// <summary>Whether an event of this type is announced under <paramref name="announced"/>.</summary>
    public static bool IsAnnounced(this AnnouncedEvents announced, string eventType) => announced switch
    {
        AnnouncedEvents.All => true,
        AnnouncedEvents.Lifecycle => Types.Contains(eventType),
        _ => false,
    };
}
