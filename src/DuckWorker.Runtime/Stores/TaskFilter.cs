namespace DuckWorker.Runtime.Stores;

/// <summary>
/// Which tasks a listing returns: each criterion that is set narrows it. A struct, so that a listing by status
/// alone (<c>ListAsync(null, …)</c>) stays unambiguous beside it.
/// </summary>
/// <param name="Status">Only tasks in this status.</param>
/// <param name="Workspace">Only tasks of this workspace, as stored (absolute, links resolved).</param>
/// <param name="CreatedFrom">Only tasks created at or after this time.</param>
/// <param name="CreatedBefore">Only tasks created before this time.</param>
public readonly record struct TaskFilter(
    AgentTaskStatus? Status = null,
    string? Workspace = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedBefore = null);
