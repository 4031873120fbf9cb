using System.Text.Json;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Rendering;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Json;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck approvals watch</c>: takes the approval requests from the approvers' inbox one at a time and shows
/// each that still waits for a decision once; those decided, closed, or shown already are removed. A skipped
/// request stays this watch's own until it ends, then goes back to the inbox for the next approver. The person
/// answers each as <see cref="ApprovalPrompt"/> asks.
/// </summary>
internal static class ApprovalsWatch
{
    /// <summary>How often an empty inbox is looked at again.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(CliContext cli, string decidedBy, int? limit, CancellationToken cancellationToken)
    {
        var pending = PendingApprovals.From(cli.Agent());
        await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
        await using var inbox = await broker.TakeFromAsync(broker.Names.ApprovalsRequestedQueue, cancellationToken);
        using var answers = AnswerInput.For(cli);
        var prompt = new ApprovalPrompt(cli, answers, pending);
        cli.Console.WriteLine($"Watching {broker.Names.ApprovalsRequestedQueue} for approval requests.");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var handled = 0;
        while (limit is null || handled < limit)
        {
            if (await inbox.TakeAsync(cancellationToken) is not { } request)
            {
                if (answers.HasEnded())
                {
                    return ExitCodes.Success;
                }

                // Woken early when the input ends; once it has (answers typed ahead wait for requests), just waits.
                await (answers.Completion.IsCompleted ? Task.Delay(Poll, cancellationToken) : Task.WhenAny(Task.Delay(Poll, cancellationToken), answers.Completion));
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }

            if (request.Text("approvalId") is not { } approvalId)
            {
                // Left in the inbox (when the watch ends) for an approver that understands it.
                await cli.Errors.WriteLineAsync("A message in the inbox is not an approval request (it has no approvalId); it is left there.");
                continue;
            }

            if (!seen.Add(approvalId))
            {
                // A second copy (a request announced again): the first was shown, and decided or skipped.
                await inbox.AckAsync(request, cancellationToken);
                continue;
            }

            var (approval, refusal) = await pending.CheckAsync(approvalId, taskId: null, cancellationToken);
            if (approval is null)
            {
                await cli.Errors.WriteLineAsync($"Approval {approvalId} is not in the store duck reads (Storage:Provider and its settings must be the worker's); it is left in the inbox.");
                continue;
            }

            if (refusal is not null)
            {
                await inbox.AckAsync(request, cancellationToken);
                continue;
            }

            if (answers.HasEnded())
            {
                // Nobody is left to answer: the request goes back to the inbox for the next approver.
                return ExitCodes.Success;
            }

            // Shown as stored: the stored call is what a decision runs, whatever a message says.
            ApprovalPanel.Write(cli.Console, approvalId, approval.Action.Tool, JsonSerializer.SerializeToElement(approval.Action.Args), approval.RiskLevel, approval.Reason, approval.ForeverScope);
            var answer = await prompt.AskAsync(approval, canSkip: true, cancellationToken);
            if (answer is null)
            {
                // The input ended: the request goes back to the inbox for the next approver.
                return ExitCodes.Success;
            }

            handled++;
            if (answer.Decision is not { } decision)
            {
                cli.Console.WriteLine($"Skipped; it stays in the inbox for the next watch, or decide with: duck approve {approvalId}");
                continue;
            }

            await broker.DecideAsync(
                new ApprovalDecisionV1(approvalId, WireName.Of(decision), decidedBy) { TaskId = approval.TaskId, Comment = answer.Comment, EditedArgs = answer.EditedArgs },
                cancellationToken);
            await inbox.AckAsync(request, cancellationToken);
            cli.Console.WriteLine($"Sent {WireName.Of(decision)}{(answer.EditedArgs is null ? "" : " (edited)")}.");
        }

        return ExitCodes.Success;
    }
}
