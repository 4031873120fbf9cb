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
    /// Replaces the task's status, outcome and update time with those of <paramref name="updated"/>, only while
    /// the stored task is still in <paramref name="expected"/>; false when another writer moved it first, so a
    /// late writer can never move a finished task back.
    /// </summary>
    Task<bool> TryTransitionAsync(AgentTask updated, AgentTaskStatus expected, CancellationToken cancellationToken);
}
