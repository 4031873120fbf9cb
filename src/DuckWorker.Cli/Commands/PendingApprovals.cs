using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// Whether a decision for an approval can still apply, judged from the store before one is sent: a decision
/// the worker would only reject (and dead-letter) is never sent.
/// </summary>
internal sealed class PendingApprovals(IApprovalStore approvals, ITaskStore tasks)
{
    public static PendingApprovals From(IServiceProvider services) =>
        new(services.GetRequiredService<IApprovalStore>(), services.GetRequiredService<ITaskStore>());

    /// <summary>The approval when a decision for it applies; otherwise why not (and the approval, when it exists).</summary>
    /// <param name="taskId">When set, the approval must belong to this task (its id or its job's id).</param>
    public async Task<(Approval? Approval, string? Refusal)> CheckAsync(string approvalId, string? taskId, CancellationToken cancellationToken)
    {
        if (await approvals.GetAsync(approvalId, cancellationToken) is not { } approval)
        {
            return (null, $"No approval has the id '{approvalId}'.");
        }

        if (approval.Decision is { } decided)
        {
            return (approval, $"Approval {approvalId} was already decided: {WireName.Of(decided)} by {approval.DecidedBy}.");
        }

        if (taskId is not null)
        {
            var named = await TasksCommand.FindAsync(tasks, taskId, cancellationToken);
            if (named.TaskId != approval.TaskId)
            {
                return (approval, $"Approval {approvalId} belongs to task {approval.TaskId}, not to task {named.TaskId}.");
            }
        }

        var task = await tasks.GetAsync(approval.TaskId, cancellationToken);
        if (task?.Status is not (AgentTaskStatus.WaitingForApproval or AgentTaskStatus.Running))
        {
            return (approval, $"Approval {approvalId} is closed: its task {approval.TaskId} is {(task is null ? "gone" : WireName.Of(task.Status))}.");
        }

        return (approval, null);
    }
}
