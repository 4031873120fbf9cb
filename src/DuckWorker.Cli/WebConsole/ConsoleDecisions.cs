using System.Text.Json.Nodes;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Commands;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Cli.WebConsole;

/// <summary>
/// Every decision of the console goes through here: checked against the store as <c>duck approve</c> checks it
/// (a decision the worker would only reject is never sent), then published to the decisions queue.
/// </summary>
internal sealed partial class ConsoleDecisions(PendingApprovals pending, CliBroker broker, ILogger<ConsoleDecisions> logger)
{
    /// <summary>What was sent, in words; or why nothing was.</summary>
    public async Task<(bool Sent, string Message)> SendAsync(ConsoleDecision decision, CancellationToken cancellationToken)
    {
        var (approval, refusal) = await pending.CheckAsync(decision.ApprovalId, taskId: null, cancellationToken);
        if (refusal is not null)
        {
            return (false, $"{refusal} Nothing was sent.");
        }

        if (decision.Comment is { } comment && MessageLimits.CommentProblem(comment) is { } problem)
        {
            return (false, $"The comment: {problem} Nothing was sent.");
        }

        // An edit is judged as the worker will judge it: one it would refuse (a blocked command, a path outside the
        // workspace) is refused here, and an unchanged one is sent as a plain decision.
        var edited = decision.EditedArgs is { } args && !JsonNode.DeepEquals(args, approval!.Action.Args) ? args : null;
        if (edited is not null && decision.Decision == WireName.Of(ApprovalDecision.Deny))
        {
            return (false, "A denial carries no edit: approve the edited action, or deny without one. Nothing was sent.");
        }

        if (edited is not null && pending.EditRefusal(approval!, edited) is { } blocked)
        {
            return (false, $"{blocked} Nothing was sent.");
        }

        await broker.DecideAsync(
            new ApprovalDecisionV1(decision.ApprovalId, decision.Decision, decision.DecidedBy) { TaskId = approval!.TaskId, Comment = decision.Comment, EditedArgs = edited },
            cancellationToken);
        LogSent(decision.Decision, decision.ApprovalId, approval.TaskId, decision.DecidedBy);
        return (true, $"Sent {decision.Decision}{(edited is null ? "" : " of the edited action")} for approval {decision.ApprovalId}.");
    }

    [LoggerMessage(5601, LogLevel.Information, "Sent {Decision} for approval {ApprovalId} of task {TaskId}, decided by {DecidedBy}")]
    private partial void LogSent(string decision, string approvalId, string taskId, string decidedBy);
}
