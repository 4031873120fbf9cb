using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// Announces where a task stands: <c>task.completed</c> / <c>task.failed</c> (and to the job's
/// <c>reply_to</c>), or <c>approval.requested</c> for the approval it waits for. Announcing again is safe:
/// consumers key on the task and approval ids.
/// </summary>
public sealed class TaskAnnouncer(RabbitMqPublisher publisher, EventAnnouncements events, IApprovalStore approvals, IOptions<RabbitMqOptions> options)
{
    /// <summary>Publishes behind the task's event announcements (<see cref="EventAnnouncements.PublishBehindAsync"/>), so that a watcher sees them first.</summary>
    public async Task AnnounceAsync(AgentTask task, CancellationToken cancellationToken)
    {
        switch (task.Status)
        {
            case AgentTaskStatus.Completed or AgentTaskStatus.Failed:
                await AnnounceFinishedAsync(task, cancellationToken);
                break;
            case AgentTaskStatus.WaitingForApproval when await approvals.FindPendingAsync(task.TaskId, cancellationToken) is { } approval:
                await AnnounceApprovalAsync(task, approval, cancellationToken);
                break;
        }
    }

    /// <summary>Puts a continuation of the task into the jobs queue, once its approval is decided.</summary>
    public Task ContinueAsync(AgentTask task, string approvalId, CancellationToken cancellationToken) =>
        publisher.PublishAsync("", options.Value.JobsQueue, MessageTypes.Continue, new ContinueJobV1(task.JobId, task.TaskId, approvalId), task.JobId, mandatory: true, cancellationToken);

    /// <summary>The <c>duck.task-finished.v1</c> of a completed or failed task, and the routing key it goes out with.</summary>
    public static (TaskFinishedV1 Message, string RoutingKey) Finished(AgentTask task)
    {
        var completed = task.Status == AgentTaskStatus.Completed;
        var message = new TaskFinishedV1(
            task.TaskId,
            task.JobId,
            WireName.Of(task.Status),
            (completed ? task.FinalResponse : task.Error) ?? "",
            completed ? task.ReasoningContent : null);
        return (message, completed ? RoutingKeys.TaskCompleted : RoutingKeys.TaskFailed);
    }

    private async Task AnnounceFinishedAsync(AgentTask task, CancellationToken cancellationToken)
    {
        var (message, routingKey) = Finished(task);
        await events.PublishBehindAsync(
            token => publisher.PublishAsync(options.Value.EventsExchange, routingKey, MessageTypes.TaskFinished, message, task.JobId, mandatory: false, token),
            cancellationToken);
        if (!string.IsNullOrEmpty(task.ReplyTo))
        {
            await publisher.PublishAsync("", task.ReplyTo, MessageTypes.TaskFinished, message, task.JobId, mandatory: false, cancellationToken);
        }
    }

    private Task AnnounceApprovalAsync(AgentTask task, Approval approval, CancellationToken cancellationToken) =>
        events.PublishBehindAsync(token => ApprovalRequestedAsync(task, approval, token), cancellationToken);

    private Task ApprovalRequestedAsync(AgentTask task, Approval approval, CancellationToken cancellationToken) =>
        publisher.PublishAsync(
            options.Value.EventsExchange,
            RoutingKeys.ApprovalRequested,
            MessageTypes.ApprovalRequested,
            new ApprovalRequestedV1(
                task.TaskId,
                task.JobId,
                approval.ApprovalId,
                approval.Action.Tool,
                new ToolActionV1(approval.Action.Tool, approval.Action.Args, approval.Action.Reason),
                approval.Reason,
                approval.RiskLevel,
                approval.ForeverScope)
            {
                Workspace = approval.Workspace,
            },
            task.JobId,
            mandatory: false,
            cancellationToken);
}
