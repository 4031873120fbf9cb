using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Commands;
using DuckWorker.RabbitMq.Contracts;
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

        // Until ApprovalDecisionV1 carries an edited action, approving an edit would run the original one.
        if (decision.EditedArgs is { } edited && !System.Text.Json.Nodes.JsonNode.DeepEquals(edited, approval!.Action.Args))
        {
            return (false, "This worker cannot run an edited action yet. Nothing was sent.");
        }

        await broker.DecideAsync(new ApprovalDecisionV1(decision.ApprovalId, decision.Decision, decision.DecidedBy) { TaskId = approval!.TaskId }, cancellationToken);
        LogSent(decision.Decision, decision.ApprovalId, approval.TaskId, decision.DecidedBy);
        var sent = $"Sent {decision.Decision} for approval {decision.ApprovalId}.";
        return (true, decision.Comment is null ? sent : $"{sent} The comment was not sent: this worker takes no comments yet.");
    }

    [LoggerMessage(5601, LogLevel.Information, "Sent {Decision} for approval {ApprovalId} of task {TaskId}, decided by {DecidedBy}")]
    private partial void LogSent(string decision, string approvalId, string taskId, string decidedBy);
}
