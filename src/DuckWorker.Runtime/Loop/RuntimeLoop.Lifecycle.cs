using System.Globalization;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Loop;

public sealed partial class RuntimeLoop
{
    /// <summary>
    /// Asks a task to stop. The request is recorded with the task, where the run working on it looks at each
    /// step (between model and tool calls, never in the middle of one); a task that waits for approval ends at
    /// once and its pending approval is closed, so that a decision sent later is refused. Returns the task as it
    /// now stands (failed when it ended, running when its run stops at its next step), or null when it had
    /// already finished.
    /// </summary>
    public async Task<AgentTask?> RequestCancelAsync(AgentTask task, string by, string? reason, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginTaskScope(task.JobId, task.TaskId);
        var request = NewCancelRequest(by, reason);
        var asked = await tasks.TryRequestCancelAsync(task.TaskId, request, cancellationToken);
        if (asked is null)
        {
            return null;
        }

        var journal = new TaskJournal(events, task.TaskId);
        if (asked.CancelRequest == request)
        {
            logger.TaskCancelRequested(task.TaskId, by);
            await journal.TaskCancelRequestedAsync(request, cancellationToken);
        }

        if (asked.Status != AgentTaskStatus.WaitingForApproval)
        {
            return asked;
        }

        // The approval is closed first: against a decision racing it, the store lets exactly one of them win.
        // A decision that won sends a continuation, whose run sees the request before it runs the decided call.
        var stands = asked.CancelRequest!;
        await CloseWaitAsync(asked, CancelledReason(asked, stands), cancellationToken);
        await EndCancelledAsync(new TaskRun(asked, journal), stands, cancellationToken);
        return await tasks.GetAsync(task.TaskId, cancellationToken);
    }

    /// <summary>
    /// Cancels a job that no worker has picked up yet: its task is recorded as failed (cancelled) under the job
    /// id, so that the worker that picks the job up announces that outcome instead of running it. When a task
    /// exists for the job after all (a worker just took it), that task is asked to stop instead.
    /// </summary>
    public async Task<AgentTask?> CancelQueuedJobAsync(string jobId, string by, string? reason, CancellationToken cancellationToken)
    {
        var request = NewCancelRequest(by, reason);
        var now = request.At;
        var error = $"{request.Describe()} before a worker picked up its job";
        var taskId = Ids.New();
        var task = await tasks.CreateAsync(
            new AgentTask
            {
                TaskId = taskId,
                JobId = jobId,
                Message = "",
                Status = AgentTaskStatus.Failed,
                Error = error,
                CancelRequest = request,
                CreatedAt = now,
                UpdatedAt = now,
            },
            cancellationToken);
        if (task.TaskId != taskId)
        {
            return await RequestCancelAsync(task, by, reason, cancellationToken);
        }

        using var scope = logger.BeginTaskScope(jobId, taskId);
        logger.TaskCancelled(taskId, by);
        var journal = new TaskJournal(events, taskId);
        await journal.TaskCancelRequestedAsync(request, cancellationToken);
        await journal.TaskCancelledAsync(request, cancellationToken);
        await journal.TaskFailedAsync(error, cancellationToken);
        return task;
    }

    /// <summary>
    /// Runs a failed task again as a new task of the same job: job id <c>&lt;jobId&gt;#retry-N</c>, the same message,
    /// workspace, prompt prefix (history and recalled memories), options and <c>reply_to</c>. The new task is
    /// recorded as running and not yet held by any run, so that a worker runs it when its job arrives, or the
    /// lease sweeper puts its job back if the caller's publish was lost. Returns the new task, or null with the
    /// reason when the task cannot run again.
    /// </summary>
    public async Task<(AgentTask? Retry, string Refusal)> RetryAsync(AgentTask failed, string by, CancellationToken cancellationToken)
    {
        if (failed.Status != AgentTaskStatus.Failed)
        {
            return (null, $"Task {failed.TaskId} is {Json.WireName.Of(failed.Status)}; only a failed task runs again.");
        }

        if (string.IsNullOrWhiteSpace(failed.Message) || failed.Context.Count == 0)
        {
            return (null, $"Task {failed.TaskId} never started ({failed.Error}); nothing of its job is known to run again. Submit the job again.");
        }

        var taskId = Ids.New();
        if (workspaces.Resolve(failed.Workspace, taskId, out var workspaceError) is not { } workspace)
        {
            return (null, $"Task {failed.TaskId} cannot run again: {workspaceError}");
        }

        var journal = new TaskJournal(events, failed.TaskId);
        var earlier = (await journal.ReadAllAsync(cancellationToken)).Count(e => e.EventType == EventTypes.TaskRetried);
        for (var n = earlier + 1; ; n++)
        {
            var now = time.GetUtcNow();
            var retry = failed with
            {
                TaskId = taskId,
                JobId = $"{failed.JobId}#retry-{n.ToString(CultureInfo.InvariantCulture)}",
                Workspace = workspace,
                Status = AgentTaskStatus.Running,
                FinalResponse = null,
                ReasoningContent = null,
                Error = null,
                CreatedAt = now,
                UpdatedAt = now,
                LeaseOwner = null,
                LeaseExpiresAt = now,
                Attempts = 0,
                CancelRequest = null,
            };

            // A job id taken by an earlier retry whose event is missing (a racing retry) moves on to the next number.
            if ((await tasks.CreateAsync(retry, cancellationToken)).TaskId != taskId)
            {
                continue;
            }

            await new TaskJournal(events, taskId).TaskCreatedAsync(retry.Message, retry.Workspace, retry.Debug, cancellationToken);
            await journal.TaskRetriedAsync(retry, by, cancellationToken);
            logger.TaskRetried(failed.TaskId, taskId, retry.JobId);
            return (retry, "");
        }
    }

    /// <summary>
    /// Ends a task whose approval was not decided within <paramref name="timeout"/>: the approval is closed (a
    /// decision sent later is refused), <c>approval_expired</c> is recorded, and a task that waits for it fails
    /// with the reason. Returns the task once failed; null when a decision came first, or the task does not wait.
    /// </summary>
    public async Task<AgentTask?> ExpireApprovalAsync(Approval approval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reason = $"approval {approval.ApprovalId} ({approval.Action.Tool}) expired after {timeout.ToString("c", CultureInfo.InvariantCulture)} without a decision";
        if (await approvals.CloseAsync(approval.ApprovalId, reason, cancellationToken) is null
            || await tasks.GetAsync(approval.TaskId, cancellationToken) is not { Status: AgentTaskStatus.WaitingForApproval or AgentTaskStatus.Running } task)
        {
            // A finished task's stray approval is only closed: its log already holds its end.
            return null;
        }

        using var scope = logger.BeginTaskScope(task.JobId, task.TaskId);
        logger.ApprovalExpired(approval.ApprovalId, task.TaskId, timeout);
        var run = new TaskRun(task, new TaskJournal(events, task.TaskId));
        await run.Journal.ApprovalExpiredAsync(approval, timeout, cancellationToken);

        // A task still running (between asking and waiting) finds the approval closed when it moves to wait.
        return task.Status == AgentTaskStatus.WaitingForApproval && (await FailAsync(run, reason, cancellationToken)).Status == AgentTaskStatus.Failed
            ? await tasks.GetAsync(task.TaskId, cancellationToken)
            : null;
    }

    /// <summary>
    /// A request stamped to the whole millisecond, as every store keeps times: read back, it equals this one,
    /// which tells the first request from a later one.
    /// </summary>
    private CancelRequest NewCancelRequest(string by, string? reason)
    {
        var now = time.GetUtcNow();
        return new CancelRequest(by, string.IsNullOrWhiteSpace(reason) ? null : reason, now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMillisecond)));
    }

    /// <summary>Why the approval of a cancelled task was closed, as a decision sent later is told.</summary>
    private static string CancelledReason(AgentTask task, CancelRequest cancel) => $"task {task.TaskId} was {cancel.Describe()}";

    /// <summary>Closes the approval a task waits for, if one is pending.</summary>
    private async Task CloseWaitAsync(AgentTask task, string reason, CancellationToken cancellationToken)
    {
        if (await approvals.FindPendingAsync(task.TaskId, cancellationToken) is { } pending)
        {
            await approvals.CloseAsync(pending.ApprovalId, reason, cancellationToken);
        }
    }

    /// <summary>A step of the loop: a task someone asked to stop stops here, before its next model or tool call.</summary>
    private async Task ThrowIfCancelRequestedAsync(TaskRun run, CancellationToken cancellationToken)
    {
        if (await tasks.GetCancelRequestAsync(run.Task.TaskId, cancellationToken) is { } request)
        {
            throw new TaskCancelRequestedException(request);
        }
    }

    private async Task<ChatResult> EndCancelledAsync(TaskRun run, CancelRequest request, CancellationToken cancellationToken)
    {
        var error = request.Describe();
        if (!await MoveAsync(run, AgentTaskStatus.Failed, cancellationToken, error: error))
        {
            return await CurrentAsync(run, cancellationToken);
        }

        logger.TaskCancelled(run.Task.TaskId, request.By);
        await run.Journal.TaskCancelledAsync(request, cancellationToken);
        await run.Journal.TaskFailedAsync(error, cancellationToken);
        return new ChatResult(run.Task.TaskId, AgentTaskStatus.Failed, error, null) { Ended = run.Task };
    }
}
