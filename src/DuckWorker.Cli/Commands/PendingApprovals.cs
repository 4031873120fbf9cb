using System.Text.Json.Nodes;
using DuckWorker.Runtime.Approvals;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// Whether a decision for an approval can still apply, judged from the store before one is sent: a decision
/// the worker would only reject (and dead-letter) is never sent, nor an edit its policy refuses.
/// </summary>
internal sealed class PendingApprovals(IApprovalStore approvals, ITaskStore tasks, ApprovalEdits edits)
{
    public static PendingApprovals From(IServiceProvider services) =>
        new(services.GetRequiredService<IApprovalStore>(), services.GetRequiredService<ITaskStore>(), services.GetRequiredService<ApprovalEdits>());

    /// <summary>
    /// The call's args as a person changed them: <paramref name="changes"/> laid over the proposed args, so that
    /// an edit names only what it changes (e.g. <c>{"content": "…"}</c> keeps an <c>fs_write</c>'s path).
    /// </summary>
    public static JsonObject EditedArgs(Approval approval, JsonObject changes)
    {
        var edited = (JsonObject)approval.Action.Args.DeepClone();
        foreach (var (name, value) in changes)
        {
            edited[name] = value?.DeepClone();
        }

        return edited;
    }

    /// <summary>
    /// Why the worker would refuse <paramref name="editedArgs"/> for the approval (the policy blocks the edited
    /// call, or it is malformed), judged exactly as the worker judges it; null when it may be sent.
    /// </summary>
    public string? EditRefusal(Approval approval, JsonObject editedArgs) => edits.Judge(approval, editedArgs).Refusal;

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
