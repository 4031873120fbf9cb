namespace DuckWorker.Runtime.Stores;

/// <summary>Where a task is in its life; stored as <c>running</c>, <c>waiting_for_approval</c>, <c>completed</c>, <c>failed</c>.</summary>
public enum AgentTaskStatus
{
    Running,
    WaitingForApproval,
    Completed,
    Failed,
}
