namespace DuckWorker.RabbitMq.Publishing;

/// <summary>Which task events are announced as <c>task.event.*</c> (<c>RabbitMq:AnnounceEvents</c>).</summary>
public enum AnnouncedEvents
{
    /// <summary>Every event, as it is appended: a client can watch a task step by step.</summary>
    All,

    /// <summary>
    /// Only the events of approvals and outcomes, those an approver or a console waiting on a task acts on;
    /// a task's steps (model calls, tool calls, memory) stay in the store.
    /// </summary>
    Lifecycle,

    /// <summary>
    /// None. <c>approval.requested</c>, <c>task.completed</c> and <c>task.failed</c> are announced all the same:
    /// they are the contract, not a view of the log.
    /// </summary>
    None,
}
