namespace DuckWorker.Runtime.Loop;

/// <summary>The event types of a task's log (docs/events.md): the seed's, with the seed's payloads.</summary>
public static class EventTypes
{
    public const string TaskCreated = "task_created";
    public const string ModelCallStarted = "model_call_started";
    public const string ActionDirective = "action_directive";
    public const string ActionDirectiveFailed = "action_directive_failed";
    public const string ToolCallStarted = "tool_call_started";
    public const string ToolCallFinished = "tool_call_finished";
    public const string CommandAudit = "command_audit";
    public const string ToolApprovalRequested = "tool_approval_requested";
    public const string TaskWaitingForApproval = "task_waiting_for_approval";
    public const string CognitionResponse = "cognition_response";
    public const string ModelCallFinished = "model_call_finished";
    public const string TaskCompleted = "task_completed";
    public const string TaskFailed = "task_failed";
    public const string TaskContinued = "task_continued";
    public const string MemoryPolicyDecision = "memory_policy_decision";
    public const string MemoryStored = "memory_stored";
    public const string MemoryPolicyFailed = "memory_policy_failed";
    public const string ReflectionCompleted = "reflection_completed";
    public const string ReflectionFailed = "reflection_failed";
    public const string ToolIterationLimitReached = "tool_iteration_limit_reached";

    /// <summary>Added: a task whose earlier run stopped (a worker died, a model was unreachable) goes on.</summary>
    public const string TaskResumed = "task_resumed";

    /// <summary>Added: a decision that came too late (the approval was decided) or for another task's approval.</summary>
    public const string ApprovalDecisionRejected = "approval_decision_rejected";

    /// <summary>Added: the memories and lessons recalled into the task's context, with their similarity.</summary>
    public const string MemoryRecalled = "memory_recalled";

    /// <summary>Added: a memory or lesson stored without a vector, and why.</summary>
    public const string EmbeddingFailed = "embedding_failed";

    /// <summary>
    /// Added: an attempt at a task's step could not reach a model (refused, 5xx, timeout) after the client's own
    /// retries; the job is tried again after <c>delay</c> seconds, or, when <c>delay</c> is null, the task fails.
    /// </summary>
    public const string ModelUnavailable = "model_unavailable";

    /// <summary>Added: someone asked for the task to stop (<c>by</c>, <c>reason</c>); a running task stops at its next step.</summary>
    public const string TaskCancelRequested = "task_cancel_requested";

    /// <summary>Added: the task stopped because it was asked to (<c>by</c>, <c>reason</c>); <c>task_failed</c> follows.</summary>
    public const string TaskCancelled = "task_cancelled";

    /// <summary>Added: the failed task runs again as a new task of the same job (<c>new_task_id</c>, <c>new_job_id</c>, <c>by</c>).</summary>
    public const string TaskRetried = "task_retried";

    /// <summary>Added: the approval the task waited for was not decided within <c>Approvals:Timeout</c>; <c>task_failed</c> follows.</summary>
    public const string ApprovalExpired = "approval_expired";

    /// <summary>
    /// Added: a person changed the call before allowing it (<c>approval_id</c>, <c>index</c>, <c>tool</c>,
    /// <c>proposed</c> and <c>approved</c> args, <c>decided_by</c>); the approved args are what runs.
    /// </summary>
    public const string ApprovalEdited = "approval_edited";
}
