using Microsoft.Extensions.Logging;

namespace DuckWorker.Diagnostics;

/// <summary>The host's log messages (event ids 2000–2999).</summary>
internal static partial class Log
{
    [LoggerMessage(2001, LogLevel.Information, "Consuming {Queue}, {Concurrency} messages in flight at most")]
    public static partial void Consuming(this ILogger logger, string queue, int concurrency);

    [LoggerMessage(2002, LogLevel.Warning, "The channel consuming {Queue} was closed by the broker ({Reason}); opening a new one")]
    public static partial void ConsumerChannelClosed(this ILogger logger, string queue, string reason);

    [LoggerMessage(2005, LogLevel.Warning, "Could not open a channel to consume {Queue} ({Reason}); trying again")]
    public static partial void ConsumerChannelNotOpened(this ILogger logger, string queue, string reason);

    [LoggerMessage(2003, LogLevel.Information, "Stopping: no new messages from {Queue}; waiting up to {Timeout} for {InFlight} in flight")]
    public static partial void Draining(this ILogger logger, string queue, TimeSpan timeout, int inFlight);

    [LoggerMessage(2004, LogLevel.Warning, "Stopping: {InFlight} messages of {Queue} did not finish in time and go back to the queue")]
    public static partial void HandingBack(this ILogger logger, string queue, int inFlight);

    [LoggerMessage(2010, LogLevel.Information, "Task {TaskId} is held by another run; this delivery is settled without running it (once the lease ends, the sweeper puts back a task that still has work)")]
    public static partial void TaskHeldElsewhere(this ILogger logger, string taskId);

    [LoggerMessage(5100, LogLevel.Warning, "Task {TaskId}: the {Role} model ({Model}) is unavailable, attempt {Attempt} of {MaxAttempts}: {Reason}; the job is tried again in {DelaySeconds} s")]
    public static partial void ModelUnavailableRetrying(this ILogger logger, string taskId, string role, string? model, int attempt, int maxAttempts, string reason, double delaySeconds);

    [LoggerMessage(2012, LogLevel.Warning, "Task {TaskId} lost its lease to another run; this run stops")]
    public static partial void LeaseLost(this ILogger logger, string taskId);

    [LoggerMessage(2013, LogLevel.Warning, "The store is unavailable ({Error}); the message goes back to the queue")]
    public static partial void StoreUnavailable(this ILogger logger, string error);

    [LoggerMessage(2014, LogLevel.Information, "Task {TaskId} was handed back: the worker stopped before it finished")]
    public static partial void TaskHandedBack(this ILogger logger, string taskId);

    [LoggerMessage(2020, LogLevel.Warning, "Task {TaskId} stopped without finishing (its lease expired at {ExpiredAt}); it is put back into the jobs queue")]
    public static partial void SweptExpiredLease(this ILogger logger, string taskId, DateTimeOffset expiredAt);

    [LoggerMessage(2022, LogLevel.Warning, "Task {TaskId} waits for an approval that is already decided, and no run moves it on; it is put back into the jobs queue")]
    public static partial void SweptDecidedWait(this ILogger logger, string taskId);

    [LoggerMessage(2021, LogLevel.Warning, "Sweeping expired leases failed: {Error}")]
    public static partial void SweepFailed(this ILogger logger, string error);

    [LoggerMessage(2030, LogLevel.Information, "Health endpoint listening on port {Port} (/health/live, /health/ready, /metrics)")]
    public static partial void HealthListening(this ILogger logger, int port);

    [LoggerMessage(5501, LogLevel.Warning, "Decision for approval {ApprovalId} by {DecidedBy} refused: not in Approvals:AllowedApprovers")]
    public static partial void ApproverNotAllowed(this ILogger logger, string approvalId, string decidedBy);

    [LoggerMessage(5210, LogLevel.Warning, "Sweeping expired approvals failed: {Error}")]
    public static partial void ApprovalSweepFailed(this ILogger logger, string error);
}
