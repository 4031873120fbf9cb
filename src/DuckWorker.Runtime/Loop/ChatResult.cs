using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Loop;

/// <summary>Where a task stands once the runtime returns: completed, failed, waiting for approval, or still running elsewhere.</summary>
public sealed record ChatResult(string TaskId, AgentTaskStatus Status, string FinalResponse, string? ReasoningContent)
{
    public const string WaitingMessage = "Waiting for approval.";

    /// <summary>
    /// The task as this run stored it when the run itself ended it (completed or failed), so that its outcome can
    /// be announced without reading it back; null otherwise.
    /// </summary>
    public AgentTask? Ended { get; init; }

    /// <summary>The outcome a stored task stands for, so a repeated job or continuation reports it instead of running again.</summary>
    public static ChatResult Of(AgentTask task) => task.Status switch
    {
        AgentTaskStatus.Completed => new(task.TaskId, task.Status, task.FinalResponse ?? "", task.ReasoningContent),
        AgentTaskStatus.Failed => new(task.TaskId, task.Status, task.Error ?? "", null),
        AgentTaskStatus.WaitingForApproval => new(task.TaskId, task.Status, WaitingMessage, null),
        _ => new(task.TaskId, task.Status, "Running.", null),
    };
}
