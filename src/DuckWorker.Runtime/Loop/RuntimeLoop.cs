using DuckWorker.Runtime.Approvals;
using DuckWorker.Runtime.Context;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Experience;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Loop;

/// <summary>
/// The agent loop of the seed's <c>RuntimeLoop</c>: a chat job becomes a task that asks the action model for
/// tool calls (pausing when one needs approval), then asks the thinker for the answer, then lets the memory
/// policy and the critic look back. Every step is an event in the task's log.
/// </summary>
public sealed partial class RuntimeLoop(
    ITaskStore tasks,
    IEventLog events,
    ModelGateway models,
    ModelCallRecorder recorder,
    ContextBuilder contextBuilder,
    MemoryRecall recall,
    ToolGateway tools,
    Workspaces workspaces,
    ApprovalService approvals,
    MemoryPolicy memoryPolicy,
    Reflection reflection,
    IOptions<AgentLoopOptions> options,
    TimeProvider time,
    ILogger<RuntimeLoop> logger)
{
    /// <summary>
    /// Runs a chat job as a new task, from start to answer or approval pause. A job id that already has a task
    /// is not run again: its task's state is returned instead.
    /// </summary>
    public async Task<ChatResult> RunChatAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var (task, created) = await AcceptAsync(request, cancellationToken);
        return created && task.Status == AgentTaskStatus.Running ? await StartAsync(task, cancellationToken) : ChatResult.Of(task);
    }

    /// <summary>
    /// Records a chat job as a task (<c>task_created</c>) without running it, or finds the task its job id
    /// already has. A job that cannot run (an empty message, a workspace that is missing or outside the root)
    /// becomes a failed task with the reason.
    /// </summary>
    public Task<(AgentTask Task, bool Created)> AcceptAsync(ChatRequest request, CancellationToken cancellationToken) =>
        AcceptAsync(request, heldBy: null, cancellationToken);

    /// <summary>
    /// As <see cref="AcceptAsync(ChatRequest, CancellationToken)"/>; a task it creates to run is created held by
    /// <paramref name="heldBy"/>, its first attempt counted, as if that run had taken its lease.
    /// </summary>
    public async Task<(AgentTask Task, bool Created)> AcceptAsync(ChatRequest request, TaskLease? heldBy, CancellationToken cancellationToken)
    {
        if (await tasks.FindByJobIdAsync(request.JobId, cancellationToken) is { } existing)
        {
            logger.JobAlreadyHasTask(request.JobId, existing.TaskId);
            return (existing, false);
        }

        var taskId = Ids.New();
        string? refusal = null;
        string? workspace = null;
        if (string.IsNullOrWhiteSpace(request.Message))
        {
            refusal = "The job's message is empty.";
        }
        else
        {
            workspace = workspaces.Resolve(request.Workspace, taskId, out var workspaceError);
            refusal = workspace is null ? workspaceError : null;
        }

        // The task is not stored yet: its recall's model calls are recorded once it is.
        var recallCalls = new List<ModelCall>();
        var recalled = Recalled.Nothing;
        using (recorder.RecordTo((call, _) => { recallCalls.Add(call); return Task.CompletedTask; }))
        {
            if (refusal is null)
            {
                recalled = await recall.RecallAsync(request.Message, workspaces.IsTasksOwn(workspace, taskId) ? null : workspace, cancellationToken);
            }
        }

        var now = time.GetUtcNow();
        var task = await tasks.CreateAsync(
            new AgentTask
            {
                TaskId = taskId,
                JobId = request.JobId,
                Message = request.Message,
                Workspace = workspace ?? request.Workspace,
                Debug = request.Debug,
                Status = AgentTaskStatus.Running,
                CreatedAt = now,
                UpdatedAt = now,
                Context = contextBuilder.Build(request, workspace, recalled),
                Reasoning = request.Reasoning,
                Reflect = request.Reflect,
                ReplyTo = request.ReplyTo,
                LeaseOwner = refusal is null ? heldBy?.Owner : null,
                LeaseExpiresAt = refusal is null ? now + heldBy?.Duration : null,
                Attempts = refusal is null && heldBy is not null ? 1 : 0,
            },
            cancellationToken);
        if (task.TaskId != taskId)
        {
            logger.JobAlreadyHasTask(request.JobId, task.TaskId);
            return (task, false);
        }

        using var scope = logger.BeginTaskScope(request.JobId, taskId);
        logger.TaskAccepted(taskId, request.JobId);
        var run = new TaskRun(task, new TaskJournal(events, taskId));
        if (refusal is not null)
        {
            await run.Journal.TaskCreatedAsync(task.Message, task.Workspace, task.Debug, cancellationToken);
            await FailAsync(run, refusal, cancellationToken);
        }
        else
        {
            await run.Journal.TaskAcceptedAsync(task, recallCalls, recalled, cancellationToken);
        }

        return (run.Task, true);
    }

    /// <summary>
    /// Runs a running task from where its event log stands: from the start when only <c>task_created</c> (and
    /// <c>memory_recalled</c>) are there, else as a resumption after an interrupted run (<c>task_resumed</c>), with what the earlier run
    /// observed and without repeating its tool calls. A task that waits for an approval that is already decided
    /// (its continuation was lost, or came while another run held the task) continues with that decision. A
    /// task asked to stop ends without running (<c>task_cancelled</c>).
    /// </summary>
    /// <exception cref="ModelUnavailableException">A model could not be reached; the task stays running, to be tried again.</exception>
    /// <exception cref="StoreUnavailableException">The store could not be reached; the task stays as it was.</exception>
    public async Task<ChatResult> RunAsync(AgentTask task, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginTaskScope(task.JobId, task.TaskId);
        var run = new TaskRun(task, new TaskJournal(events, task.TaskId));
        if (task.CancelRequest is { } cancel && task.Status is AgentTaskStatus.Running or AgentTaskStatus.WaitingForApproval)
        {
            // Asked to stop while its job waited in the queue, or while no run held it: it ends without running.
            await CloseWaitAsync(task, CancelledReason(task, cancel), cancellationToken);
            return await EndCancelledAsync(run, cancel, cancellationToken);
        }

        if (task.Status == AgentTaskStatus.WaitingForApproval)
        {
            var waiting = (await run.Journal.ReadAllAsync(cancellationToken)).LastOrDefault(e => e.EventType == EventTypes.TaskWaitingForApproval);
            return waiting is not null && PendingApprovalId(waiting) is { } approvalId
                ? await ContinueAfterApprovalAsync(task.TaskId, approvalId, cancellationToken)
                : ChatResult.Of(task);
        }

        if (task.Status != AgentTaskStatus.Running)
        {
            return ChatResult.Of(task);
        }

        var history = await run.Journal.ReadAllAsync(cancellationToken);
        if (history.Count == 0)
        {
            await run.Journal.TaskCreatedAsync(task.Message, task.Workspace, task.Debug, cancellationToken);
        }

        if (history.All(e => e.EventType is EventTypes.TaskCreated or EventTypes.MemoryRecalled or EventTypes.ModelCallFinished))
        {
            return await StartAsync(run, cancellationToken);
        }

        return await ResumeAsync(run, history, cancellationToken);
    }

    /// <summary>
    /// Runs a task <see cref="AcceptAsync(ChatRequest, TaskLease?, CancellationToken)"/> has just created to run,
    /// from the start: its log holds its acceptance only, so it is not read back first. A stop asked since is
    /// found at its first step.
    /// </summary>
    public async Task<ChatResult> StartAsync(AgentTask accepted, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginTaskScope(accepted.JobId, accepted.TaskId);
        return await StartAsync(new TaskRun(accepted, new TaskJournal(events, accepted.TaskId)), cancellationToken);
    }

    /// <summary>Fails a task that cannot go on, with the reason (for instance: a model stayed unreachable through every attempt).</summary>
    public async Task<ChatResult> FailAsync(AgentTask task, string error, CancellationToken cancellationToken) =>
        task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed
            ? ChatResult.Of(task)
            : await FailAsync(new TaskRun(task, new TaskJournal(events, task.TaskId)), error, cancellationToken);

    /// <summary>
    /// Records that an attempt at the task's step could not reach a model (<c>model_unavailable</c>), to be tried
    /// again after <paramref name="retryIn"/>; without one, no attempt follows and the task fails with the reason.
    /// </summary>
    public async Task<ChatResult> ModelUnavailableAsync(
        AgentTask task,
        ModelUnavailableException outage,
        int attempt,
        TimeSpan? retryIn,
        CancellationToken cancellationToken)
    {
        using var scope = logger.BeginTaskScope(task.JobId, task.TaskId);
        await new TaskJournal(events, task.TaskId).ModelUnavailableAsync(outage.Role, outage.Model, attempt, retryIn, outage.Reason, cancellationToken);
        return retryIn is null
            ? await FailAsync(task, $"{outage.Message} (after {attempt} attempts)", cancellationToken)
            : ChatResult.Of(task);
    }

    /// <summary>
    /// Resumes a task once the approval it waits for is decided: runs (or, when denied, skips) the stored call,
    /// then goes on with the action loop and the answer. A continuation that arrives twice, or for an approval
    /// the task no longer waits for, changes nothing and returns the task's state. A task asked to stop ends
    /// instead, and one whose approval closed without a decision (it expired) fails with the reason.
    /// </summary>
    public async Task<ChatResult> ContinueAfterApprovalAsync(string taskId, string approvalId, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(taskId, cancellationToken);
        if (task is null)
        {
            return new ChatResult(taskId, AgentTaskStatus.Failed, "Task not found.", null);
        }

        var approval = await approvals.GetAsync(approvalId, cancellationToken);
        if (approval is null || approval.TaskId != taskId)
        {
            return new ChatResult(taskId, AgentTaskStatus.Failed, "Approval not found for task.", null);
        }

        using var scope = logger.BeginTaskScope(task.JobId, taskId);
        var run = new TaskRun(task, new TaskJournal(events, taskId));
        if (task.Status == AgentTaskStatus.WaitingForApproval && task.CancelRequest is { } cancel)
        {
            return await EndCancelledAsync(run, cancel, cancellationToken);
        }

        if (task.Status == AgentTaskStatus.WaitingForApproval && approval.ClosedReason is { } closed && await WaitingObservationsAsync(run, approvalId, cancellationToken) is not null)
        {
            // Closed (it expired) while no run could end the task: it ends now, with the reason.
            return await FailAsync(run, closed, cancellationToken);
        }

        if (approval.Decision is not { } decision)
        {
            return new ChatResult(taskId, AgentTaskStatus.WaitingForApproval, ChatResult.WaitingMessage, null);
        }

        var earlier = task.Status == AgentTaskStatus.WaitingForApproval ? await WaitingObservationsAsync(run, approvalId, cancellationToken) : null;
        if (earlier is null || !await MoveAsync(run, AgentTaskStatus.Running, cancellationToken))
        {
            logger.ContinuationIgnored(taskId, approvalId, Json.WireName.Of(task.Status));
            return ChatResult.Of(await tasks.GetAsync(taskId, cancellationToken) ?? task);
        }

        await run.Journal.TaskContinuedAsync(approval, cancellationToken);
        if (decision != ApprovalDecision.Deny && approval.EditedArgs is not null)
        {
            await run.Journal.ApprovalEditedAsync(approval, cancellationToken);
        }

        return await DriveAsync(
            run,
            async () =>
            {
                await ThrowIfCancelRequestedAsync(run, cancellationToken);
                var observations = earlier;
                observations.Add(await RunDecidedActionAsync(run, approval, decision, cancellationToken));
                run.Observe(observations);
                return decision == ApprovalDecision.Deny ? observations : await RunActionLoopAsync(run, observations, cancellationToken);
            },
            cancellationToken);
    }

    private Task<ChatResult> StartAsync(TaskRun run, CancellationToken cancellationToken)
    {
        logger.TaskStarted(run.Task.TaskId, run.Task.JobId);
        return DriveAsync(run, () => RunActionLoopAsync(run, [], cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Runs the action phase, then waits or answers; a failure of any step fails the task with its reason. The
    /// run's events are all stored when it returns; when it throws (a model or the store out of reach, a stop),
    /// they are stored or lost before it does, so that nothing appended after it (<c>model_unavailable</c>, the
    /// next run's events) can come before them.
    /// </summary>
    private async Task<ChatResult> DriveAsync(TaskRun run, Func<Task<List<ToolObservation>>> act, CancellationToken cancellationToken)
    {
        using var calls = recorder.RecordTo((call, ct) =>
        {
            run.Journal.ModelCallFinished(call, ct);
            return Task.CompletedTask;
        });
        try
        {
            var result = await RunStepsAsync(run, act, cancellationToken);
            await run.Journal.WrittenAsync();
            return result;
        }
        catch
        {
            await SettleAsync(run.Journal);
            throw;
        }
    }

    private async Task<ChatResult> RunStepsAsync(TaskRun run, Func<Task<List<ToolObservation>>> act, CancellationToken cancellationToken)
    {
        try
        {
            var observations = await act();
            return await FinishAsync(run, observations, cancellationToken);
        }
        catch (TaskCancelRequestedException ex)
        {
            return await EndCancelledAsync(run, ex.Request, cancellationToken);
        }
        catch (Exception ex) when (ex is not (StoreUnavailableException or ModelUnavailableException)
            && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return await FailAsync(run, ex.Message, cancellationToken);
        }
    }

    /// <summary>Waits for the run's queued events on the way out of a failed run; a write they fail with is lost with the run.</summary>
    private static async Task SettleAsync(TaskJournal journal)
    {
        try
        {
            await journal.WrittenAsync();
        }
        catch (Exception)
        {
            // The failure that ends the run is the one its caller hears of.
        }
    }

    private async Task<ChatResult> FinishAsync(TaskRun run, List<ToolObservation> observations, CancellationToken cancellationToken)
    {
        var taskId = run.Task.TaskId;
        if (observations.Any(o => o.RequiresApproval))
        {
            // The event comes first: a continuation reads the observations from it, so a task must never wait
            // without it. A run interrupted between the two finishes the move when it resumes.
            await run.Journal.TaskWaitingForApprovalAsync(observations, cancellationToken);
            return await WaitAsync(run, observations.Last(o => o.RequiresApproval).ApprovalId, cancellationToken);
        }

        await ThrowIfCancelRequestedAsync(run, cancellationToken);
        run.Journal.ModelCallStarted(ModelRoles.Thinker, cancellationToken);
        var response = await models.ChatAsync(ModelRoles.Thinker, run.Prompt, ThinkerOptions(run.Task.Reasoning), cancellationToken);
        run.Journal.CognitionResponse(response, cancellationToken);
        if (string.IsNullOrWhiteSpace(response.Content))
        {
            throw new ModelCallException(ModelRoles.Thinker, "The thinker model returned an empty answer.");
        }

        // The memory model needs the answer only: it is asked while the task moves to completed, one store round
        // trip fewer on the way to the outcome. What it decided is kept only once the move is stored.
        using var memoryStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var memoryAnswer = AskMemoryPolicyAsync(run, response.Content, memoryStop.Token);
        var moved = false;
        try
        {
            moved = await MoveAsync(run, AgentTaskStatus.Completed, cancellationToken, finalResponse: response.Content, reasoningContent: response.ReasoningContent);
        }
        finally
        {
            if (!moved)
            {
                // The run ends here: the question is called off, and its end waited for, so that no model call
                // outlives its run and a slow memory model does not hold up the run's end.
                await memoryStop.CancelAsync();
                await ((Task)memoryAnswer).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        if (!moved)
        {
            return await CurrentAsync(run, cancellationToken);
        }

        run.Journal.TaskCompleted(response.Content, response.ReasoningContent, cancellationToken);
        logger.TaskCompleted(taskId);
        await PostProcessAsync(run, memoryAnswer, cancellationToken);
        return new ChatResult(taskId, AgentTaskStatus.Completed, response.Content, response.ReasoningContent) { Ended = run.Task };
    }

    private async Task<ChatResult> WaitAsync(TaskRun run, string? approvalId, CancellationToken cancellationToken)
    {
        if (!await MoveAsync(run, AgentTaskStatus.WaitingForApproval, cancellationToken))
        {
            return await CurrentAsync(run, cancellationToken);
        }

        logger.TaskWaiting(run.Task.TaskId);

        // A cancel asked while the task still ran, after its last step, found it running and left it to this run.
        if (await tasks.GetCancelRequestAsync(run.Task.TaskId, cancellationToken) is { } cancel)
        {
            await CloseWaitAsync(run.Task, CancelledReason(run.Task, cancel), cancellationToken);
            return await EndCancelledAsync(run, cancel, cancellationToken);
        }

        // A decision that came while the task was still running sent no continuation (the task did not wait
        // yet): this run applies it. One that comes after the move finds the task waiting and sends one.
        var approval = approvalId is null ? null : await approvals.GetAsync(approvalId, cancellationToken);
        if (approval?.ClosedReason is { } closed)
        {
            // Expired before the task waited for it: nobody can decide it now.
            return await FailAsync(run, closed, cancellationToken);
        }

        if (approval is { Decision: not null })
        {
            logger.DecisionFoundOnWaiting(run.Task.TaskId, approval.ApprovalId);
            return await ContinueAfterApprovalAsync(run.Task.TaskId, approval.ApprovalId, cancellationToken);
        }

        return ChatResult.Of(run.Task);
    }

    private async Task<ChatResult> FailAsync(TaskRun run, string error, CancellationToken cancellationToken)
    {
        logger.TaskFailed(run.Task.TaskId, error);
        if (!await MoveAsync(run, AgentTaskStatus.Failed, cancellationToken, error: error))
        {
            return await CurrentAsync(run, cancellationToken);
        }

        await run.Journal.TaskFailedAsync(error, cancellationToken);
        return new ChatResult(run.Task.TaskId, AgentTaskStatus.Failed, error, null) { Ended = run.Task };
    }

    /// <summary>Moves the task on only if nobody else moved it since this run last saw it.</summary>
    private async Task<bool> MoveAsync(
        TaskRun run,
        AgentTaskStatus to,
        CancellationToken cancellationToken,
        string? finalResponse = null,
        string? reasoningContent = null,
        string? error = null)
    {
        // Whoever sees the task's new status finds the events that led to it.
        await run.Journal.WrittenAsync();
        var updated = run.Task with
        {
            Status = to,
            FinalResponse = finalResponse ?? run.Task.FinalResponse,
            ReasoningContent = reasoningContent ?? run.Task.ReasoningContent,
            Error = error ?? run.Task.Error,
            UpdatedAt = time.GetUtcNow(),

            // A pause for a person ends a step: the run after the decision starts a fresh budget of attempts.
            Attempts = to == AgentTaskStatus.WaitingForApproval ? 0 : run.Task.Attempts,
        };
        if (!await tasks.TryTransitionAsync(updated, run.Task.Status, cancellationToken))
        {
            logger.TaskMovedElsewhere(run.Task.TaskId, Json.WireName.Of(run.Task.Status), Json.WireName.Of(to));
            return false;
        }

        run.Task = updated;
        return true;
    }

    /// <summary>
    /// Where a task's memories are kept and recalled: its workspace when the job named one. A job without one
    /// works in a new folder of its own that no later job shares, so its memories are global.
    /// </summary>
    private string? MemoryWorkspace(AgentTask task) => workspaces.IsTasksOwn(task.Workspace, task.TaskId) ? null : task.Workspace;

    private async Task<ChatResult> CurrentAsync(TaskRun run, CancellationToken cancellationToken) =>
        ChatResult.Of(await tasks.GetAsync(run.Task.TaskId, cancellationToken) ?? run.Task);

    private static ChatOptions? ThinkerOptions(ReasoningMode? reasoning) => reasoning switch
    {
        ReasoningMode.On => new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Medium } },
        ReasoningMode.Off => new ChatOptions { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.None } },
        _ => null,
    };
}
