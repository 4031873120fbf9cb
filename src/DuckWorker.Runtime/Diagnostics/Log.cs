using Microsoft.Extensions.Logging;

namespace DuckWorker.Runtime.Diagnostics;

/// <summary>The runtime's log messages (event ids 1000–1999). Prompts and answers are logged at Trace only.</summary>
internal static partial class Log
{
    private static readonly Func<ILogger, string, string, IDisposable?> TaskScope =
        LoggerMessage.DefineScope<string, string>("JobId:{JobId} TaskId:{TaskId}");

    // A job id comes from the job's producer: escaped, it cannot forge a log line.
    public static IDisposable? BeginTaskScope(this ILogger logger, string jobId, string taskId) =>
        TaskScope(logger, PrintableText.Escape(jobId), PrintableText.Escape(taskId));

    [LoggerMessage(1001, LogLevel.Information, "Task {TaskId} started for job {JobId}")]
    public static partial void TaskStarted(this ILogger logger, string taskId, string jobId);

    [LoggerMessage(1002, LogLevel.Information, "Job {JobId} already has task {TaskId}; it is not run again")]
    public static partial void JobAlreadyHasTask(this ILogger logger, string jobId, string taskId);

    [LoggerMessage(1003, LogLevel.Information, "Task {TaskId} waits for approval")]
    public static partial void TaskWaiting(this ILogger logger, string taskId);

    [LoggerMessage(1004, LogLevel.Information, "Task {TaskId} completed")]
    public static partial void TaskCompleted(this ILogger logger, string taskId);

    [LoggerMessage(1005, LogLevel.Warning, "Task {TaskId} failed: {Error}")]
    public static partial void TaskFailed(this ILogger logger, string taskId, string error);

    [LoggerMessage(1006, LogLevel.Warning, "Task {TaskId} was moved by another writer; it stays as it is instead of going from {From} to {To}")]
    public static partial void TaskMovedElsewhere(this ILogger logger, string taskId, string from, string to);

    [LoggerMessage(1007, LogLevel.Warning, "Continuation of task {TaskId} for approval {ApprovalId} ignored: the task ({Status}) does not wait for that approval")]
    public static partial void ContinuationIgnored(this ILogger logger, string taskId, string approvalId, string status);

    [LoggerMessage(1008, LogLevel.Information, "Task {TaskId} accepted for job {JobId}")]
    public static partial void TaskAccepted(this ILogger logger, string taskId, string jobId);

    [LoggerMessage(1009, LogLevel.Information, "Task {TaskId} resumes an interrupted run with {Observations} earlier observations")]
    public static partial void TaskResumed(this ILogger logger, string taskId, int observations);

    [LoggerMessage(1010, LogLevel.Debug, "Tool {Tool} (action {Index}) finished, ok: {Ok}")]
    public static partial void ToolCallFinished(this ILogger logger, string tool, int index, bool ok);

    [LoggerMessage(1011, LogLevel.Warning, "Tool {Tool} (action {Index}) of task {TaskId} was cut off by a run that stopped; it is reported as interrupted, not run again")]
    public static partial void ToolCallInterrupted(this ILogger logger, string tool, int index, string taskId);

    [LoggerMessage(1012, LogLevel.Information, "Task {TaskId} waits for approval {ApprovalId}, which is already decided; it goes on")]
    public static partial void DecisionFoundOnWaiting(this ILogger logger, string taskId, string approvalId);

    [LoggerMessage(1020, LogLevel.Debug, "Calling the {Role} model with {Messages} messages ({Chars} characters)")]
    public static partial void ModelCallStarting(this ILogger logger, string role, int messages, int chars);

    [LoggerMessage(1021, LogLevel.Debug, "The {Role} model ({Model}) answered in {LatencyMs} ms")]
    public static partial void ModelCallFinished(this ILogger logger, string role, string? model, long latencyMs);

    [LoggerMessage(1022, LogLevel.Trace, "The {Role} model answered: {Content}")]
    public static partial void ModelAnswer(this ILogger logger, string role, string content);

    [LoggerMessage(1023, LogLevel.Warning, "The {Role} model answered {Length} characters; only the first {Max} are kept")]
    public static partial void ModelAnswerTruncated(this ILogger logger, string role, int length, int max);

    [LoggerMessage(1030, LogLevel.Information, "Approval {ApprovalId} requested for task {TaskId} ({Tool})")]
    public static partial void ApprovalRequested(this ILogger logger, string approvalId, string taskId, string tool);

    [LoggerMessage(1031, LogLevel.Information, "Approval {ApprovalId} decided: {Decision} by {DecidedBy}")]
    public static partial void ApprovalDecided(this ILogger logger, string approvalId, string decision, string decidedBy);

    [LoggerMessage(5500, LogLevel.Information, "Approval {ApprovalId} allowed with the {Tool} call edited by {DecidedBy}")]
    public static partial void ApprovalEdited(this ILogger logger, string approvalId, string tool, string decidedBy);

    [LoggerMessage(1032, LogLevel.Warning, "Decision for unknown approval {ApprovalId} from {DecidedBy} rejected")]
    public static partial void DecisionForUnknownApproval(this ILogger logger, string approvalId, string decidedBy);

    [LoggerMessage(1033, LogLevel.Warning, "Decision {Decision} by {DecidedBy} for approval {ApprovalId} rejected: {Reason}")]
    public static partial void DecisionRejected(this ILogger logger, string approvalId, string decision, string decidedBy, string reason);

    [LoggerMessage(1040, LogLevel.Warning, "Memory policy failed for task {TaskId}: {Error}")]
    public static partial void MemoryPolicyFailed(this ILogger logger, string taskId, string error);

    [LoggerMessage(1041, LogLevel.Warning, "Reflection failed for task {TaskId}: {Error}")]
    public static partial void ReflectionFailed(this ILogger logger, string taskId, string error);

    [LoggerMessage(1090, LogLevel.Information, "Shell sandbox: bubblewrap (Tools:Sandbox={Mode}): {Reason}")]
    public static partial void ShellSandboxed(this ILogger logger, string mode, string reason);

    [LoggerMessage(1091, LogLevel.Warning, "Shell sandbox: NONE (Tools:Sandbox={Mode}): {Reason}")]
    public static partial void ShellUnconfined(this ILogger logger, string mode, string reason);

    [LoggerMessage(1092, LogLevel.Warning, "The worker runs as root: the kernel does not enforce Tools:Limits:Processes for commands in workspaces root owns; run the worker as a user of its own (the Docker image does)")]
    public static partial void ShellProcessLimitUnenforced(this ILogger logger);

    [LoggerMessage(5200, LogLevel.Information, "Task {TaskId}: cancel requested by {By}")]
    public static partial void TaskCancelRequested(this ILogger logger, string taskId, string by);

    [LoggerMessage(5201, LogLevel.Information, "Task {TaskId} cancelled by {By}")]
    public static partial void TaskCancelled(this ILogger logger, string taskId, string by);

    [LoggerMessage(5202, LogLevel.Information, "Task {TaskId} runs again as task {NewTaskId} (job {NewJobId})")]
    public static partial void TaskRetried(this ILogger logger, string taskId, string newTaskId, string newJobId);

    [LoggerMessage(5203, LogLevel.Information, "Approval {ApprovalId} of task {TaskId} expired after {Timeout}")]
    public static partial void ApprovalExpired(this ILogger logger, string approvalId, string taskId, TimeSpan timeout);
}
