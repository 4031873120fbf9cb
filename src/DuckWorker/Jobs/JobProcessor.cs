using System.Diagnostics;
using DuckWorker.Diagnostics;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Jobs;

/// <summary>
/// Runs jobs at most once per job id. A job's task is recorded before anything runs; a run holds the task's
/// lease, so a redelivered job (the broker's consumer timeout, a restart) never runs it a second time, while
/// a task whose run died is resumed. Outcomes are stored, then announced, then the delivery is acknowledged.
/// </summary>
internal sealed class JobProcessor(
    RuntimeLoop loop,
    ITaskStore tasks,
    IApprovalStore approvals,
    TaskAnnouncer announcer,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<JobProcessor> logger)
{
    public async Task<Settlement> ChatAsync(ChatJobV1 job, string? replyTo, CancellationToken cancellationToken)
    {
        // The runtime puts each of its entries in the task's scope (JobId, TaskId); a scope here as well printed both.
        // A new task is created held by this run: one write fewer than taking its lease after.
        var lease = new TaskLease(Ids.New(), options.Value.LeaseDuration);
        var (task, created) = await loop.AcceptAsync(ToRequest(job, replyTo), lease, cancellationToken);
        if (!created && task.ReplyTo is null && !string.IsNullOrEmpty(replyTo))
        {
            // A task recorded before its job was picked up (cancelled while queued) did not know where to reply.
            task = task with { ReplyTo = replyTo };
        }

        return created && task.LeaseOwner == lease.Owner
            ? await DriveAsync(task, lease.Owner, (accepted, token) => loop.StartAsync(accepted, token), cancellationToken)
            : await DriveAsync(task, heldBy: null, (leased, token) => loop.RunAsync(leased, token), cancellationToken);
    }

    public async Task<Settlement> ContinueAsync(ContinueJobV1 job, CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(job.TaskId, cancellationToken);
        if (task is null || task.JobId != job.JobId)
        {
            return Settlement.DeadLetter($"No task '{job.TaskId}' belongs to job '{job.JobId}'.");
        }

        var approval = await approvals.GetAsync(job.ApprovalId, cancellationToken);
        if (approval is null || approval.TaskId != task.TaskId)
        {
            return Settlement.DeadLetter($"Task '{job.TaskId}' has no approval '{job.ApprovalId}'.");
        }

        return task.Status == AgentTaskStatus.WaitingForApproval
            ? await DriveAsync(task, heldBy: null, (leased, token) => loop.ContinueAfterApprovalAsync(leased.TaskId, job.ApprovalId, token), cancellationToken)
            : await DriveAsync(task, heldBy: null, (leased, token) => loop.RunAsync(leased, token), cancellationToken);
    }

    /// <summary>
    /// Announces a task that has an outcome; runs one that has work left, under its lease. A transient failure
    /// hands the job back (after a delay that grows with the attempts) until the task's current step has used
    /// its attempts (a pause for approval starts a new step: the store counts attempts from zero again).
    /// <paramref name="heldBy"/> names this run when it created the task already holding its lease.
    /// </summary>
    private async Task<Settlement> DriveAsync(AgentTask task, string? heldBy, Func<AgentTask, CancellationToken, Task<ChatResult>> work, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed
            || (task is { Status: AgentTaskStatus.WaitingForApproval, CancelRequest: null } && await approvals.FindPendingAsync(task.TaskId, cancellationToken) is not null))
        {
            await announcer.AnnounceAsync(task, cancellationToken);
            return Settlement.Ack;
        }

        var now = time.GetUtcNow();
        var owner = heldBy ?? Ids.New();
        var leased = heldBy is not null ? task : await tasks.TryAcquireLeaseAsync(task.TaskId, owner, now + settings.LeaseDuration, now, cancellationToken);
        if (leased is null)
        {
            // Settled, not dropped: the run that holds the task moves it on, or, once its lease ends (a dead run),
            // the sweeper puts it back, whether it still runs or waits for an approval that is decided.
            logger.TaskHeldElsewhere(task.TaskId);
            return Settlement.Ack;
        }

        var lease = new LeaseKeeper(tasks, task.TaskId, owner, settings.LeaseDuration, time, logger, cancellationToken);
        using var activity = DuckTelemetry.Source.StartActivity("duck.job", ActivityKind.Consumer);
        activity?.SetTag("duck.job.id", task.JobId);
        activity?.SetTag("duck.task.id", task.TaskId);
        activity?.SetTag("duck.task.attempt", leased.Attempts);
        DuckTelemetry.JobsStarted.Add(1);
        var started = time.GetTimestamp();
        Settlement? handedBack;
        AgentTask? outcome = null;
        try
        {
            (handedBack, var ended) = await RunLeasedAsync(leased, lease, work, cancellationToken);
            if (handedBack is null)
            {
                outcome = ended ?? (await tasks.GetAsync(task.TaskId, cancellationToken))!;
            }
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }

        if (outcome is not { Status: AgentTaskStatus.Completed or AgentTaskStatus.Failed })
        {
            // Handed back, or waiting: a task that waits is announced under its lease, so that no continuation
            // runs before its request is out.
            await using (lease)
            {
                return handedBack ?? await AnnounceOutcomeAsync(outcome!, activity, started, cancellationToken);
            }
        }

        // A finished task has nothing left to run, and no run takes it again: its lease is left to expire.
        await lease.StopAsync();
        return await AnnounceOutcomeAsync(outcome, activity, started, cancellationToken);
    }

    /// <summary>
    /// Runs the task's work under its lease: a settlement when the job goes back (or was taken elsewhere), none when
    /// the task has an outcome to announce, with the task as the run stored it when the run ended it.
    /// </summary>
    private async Task<(Settlement? HandedBack, AgentTask? Ended)> RunLeasedAsync(AgentTask leased, LeaseKeeper lease, Func<AgentTask, CancellationToken, Task<ChatResult>> work, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            var result = leased.Attempts > settings.MaxAttempts
                ? await loop.FailAsync(leased, $"The task's current step was started {settings.MaxAttempts} times without finishing; it is not started again.", lease.Token)
                : await work(leased, lease.Token);
            return (null, result.Ended);
        }
        catch (ModelUnavailableException ex)
        {
            // Each attempt is one model_unavailable event and one log line; the run the redelivery starts goes on
            // from there, without a task_resumed, since nothing was interrupted.
            if (leased.Attempts < settings.MaxAttempts)
            {
                var retryIn = settings.RequeueDelay * leased.Attempts;
                await loop.ModelUnavailableAsync(leased, ex, leased.Attempts, retryIn, lease.Token);
                logger.ModelUnavailableRetrying(leased.TaskId, ex.Role, ex.Model, leased.Attempts, settings.MaxAttempts, ex.Reason, retryIn.TotalSeconds);
                await Task.Delay(retryIn, time, cancellationToken);
                return (Settlement.Requeue, null);
            }

            // The task fails with the reason; its failure is the attempt's log line.
            return (null, (await loop.ModelUnavailableAsync(leased, ex, leased.Attempts, retryIn: null, lease.Token)).Ended);
        }
        catch (OperationCanceledException) when (lease.Lost)
        {
            return (Settlement.Ack, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.TaskHandedBack(leased.TaskId);
            return (Settlement.Abandon, null);
        }
    }

    private async Task<Settlement> AnnounceOutcomeAsync(AgentTask outcome, Activity? activity, long started, CancellationToken cancellationToken)
    {
        await announcer.AnnounceAsync(outcome, cancellationToken);
        activity?.SetTag("duck.task.status", Runtime.Json.WireName.Of(outcome.Status));
        DuckTelemetry.JobDuration.Record(time.GetElapsedTime(started).TotalSeconds);
        switch (outcome.Status)
        {
            case AgentTaskStatus.Completed:
                DuckTelemetry.JobsCompleted.Add(1);
                break;
            case AgentTaskStatus.Failed:
                DuckTelemetry.JobsFailed.Add(1);
                activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
                break;
        }

        return Settlement.Ack;
    }

    private static ChatRequest ToRequest(ChatJobV1 job, string? replyTo) => new()
    {
        JobId = job.JobId,
        Message = job.Message,
        Workspace = job.Workspace,
        Debug = job.Debug,
        Reasoning = job.Reasoning switch
        {
            "on" => ReasoningMode.On,
            "off" => ReasoningMode.Off,
            _ => null,
        },
        Reflect = job.Reflect,
        History = [.. (job.History ?? []).Select(m => new ConversationMessage(m.Role, m.Content))],
        SkillSummary = job.SkillSummary,
        ReplyTo = string.IsNullOrEmpty(replyTo) ? null : replyTo,
    };
}
