namespace DuckWorker.Runtime.Stores;

/// <summary>Tasks, at most one per job id.</summary>
public interface ITaskStore
{
    /// <summary>
    /// Stores a new task, or returns the task that already exists for its job id: the caller compares task ids
    /// to learn whether it created the task, so a redelivered job never starts a second one.
    /// </summary>
    Task<AgentTask> CreateAsync(AgentTask task, CancellationToken cancellationToken);

    Task<AgentTask?> GetAsync(string taskId, CancellationToken cancellationToken);

    Task<AgentTask?> FindByJobIdAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// The request to stop the task, or null when nobody asked (or there is no such task). A run asks at every
    /// step, so only the request is read, not the whole task.
    /// </summary>
    Task<CancelRequest?> GetCancelRequestAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>The newest tasks first, all of them or those in <paramref name="status"/>.</summary>
    Task<IReadOnlyList<AgentTask>> ListAsync(AgentTaskStatus? status, int limit, CancellationToken cancellationToken) =>
        ListAsync(new TaskFilter(status), limit, cancellationToken);

    /// <summary>The newest tasks first of those <paramref name="filter"/> lets through.</summary>
    Task<IReadOnlyList<AgentTask>> ListAsync(TaskFilter filter, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the task's status, outcome, attempts and update time with those of <paramref name="updated"/>, only while
    /// the stored task is still in <paramref name="expected"/>; false when another writer moved it first, so a
    /// late writer can never move a finished task back.
    /// </summary>
    Task<bool> TryTransitionAsync(AgentTask updated, AgentTaskStatus expected, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the task's lease for <paramref name="owner"/> until <paramref name="until"/> and counts an attempt,
    /// if no other run holds a lease that is still valid at <paramref name="now"/>; returns the task as it now
    /// stands, or null when another run holds it (or the task does not exist).
    /// </summary>
    Task<AgentTask?> TryAcquireLeaseAsync(string taskId, string owner, DateTimeOffset until, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Extends the lease while <paramref name="owner"/> still holds it; false when it was lost.</summary>
    Task<bool> RenewLeaseAsync(string taskId, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Ends the lease of <paramref name="owner"/> at <paramref name="now"/>, so that another run may take the task at once.</summary>
    Task ReleaseLeaseAsync(string taskId, string owner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Running tasks whose lease expired before <paramref name="now"/>: their run stopped without finishing.</summary>
    Task<IReadOnlyList<AgentTask>> ListExpiredLeasesAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Tasks waiting for approval that no run holds at <paramref name="now"/> and that have approvals, none of
    /// them pending (each decided or closed): the approval they wait for is decided, but no continuation moved them on (it was lost, or
    /// came while a run held the task). The longest-waiting first.
    /// </summary>
    Task<IReadOnlyList<AgentTask>> ListWaitingOnDecidedApprovalAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a request to cancel the task unless it is completed or failed; a task asked before keeps the first
    /// request. Returns the task as it now stands, or null when it does not exist or has finished.
    /// </summary>
    Task<AgentTask?> TryRequestCancelAsync(string taskId, CancelRequest request, CancellationToken cancellationToken);
}
