using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Rendering;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck approvals watch</c>: takes the approval requests from the approvers' inbox one at a time and shows
/// each that still waits for a decision once; those decided, closed, or shown already are removed. A skipped
/// request stays this watch's own until it ends, then goes back to the inbox for the next approver. A call can be
/// edited before it is allowed (judged by the worker's policy here first), and a denial can say why.
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
            var answer = await AskAsync(cli, answers, pending, approval, cancellationToken);
            if (answer is null)
            {
                // The input ended: the request goes back to the inbox for the next approver.
                return ExitCodes.Success;
            }

            handled++;
            if (answer.Decision == "skip")
            {
                cli.Console.WriteLine($"Skipped; it stays in the inbox for the next watch, or decide with: duck approve {approvalId}");
                continue;
            }

            await broker.DecideAsync(
                new ApprovalDecisionV1(approvalId, answer.Decision, decidedBy) { TaskId = approval.TaskId, Comment = answer.Comment, EditedArgs = answer.EditedArgs },
                cancellationToken);
            await inbox.AckAsync(request, cancellationToken);
            cli.Console.WriteLine($"Sent {answer.Decision}{(answer.EditedArgs is null ? "" : " (edited)")}.");
        }

        return ExitCodes.Success;
    }

    /// <summary>The person's answer; null when the input ended before they gave one.</summary>
    private static async Task<Answer?> AskAsync(CliContext cli, AnswerInput answers, PendingApprovals pending, Approval approval, CancellationToken cancellationToken)
    {
        while (true)
        {
            cli.Console.Write("[a]llow once, allow [f]orever, [e]dit then allow once, [d]eny, [s]kip? ");
            switch (await answers.NextAsync(cancellationToken))
            {
                case null:
                    return null;
                case "a":
                    return new Answer("allow_once");
                case "f":
                    return new Answer("allow_forever");
                case "d":
                    var why = await CommentAsync(cli, answers, cancellationToken);
                    return why.Ended ? null : new Answer("deny", why.Comment);
                case "e":
                    var (ended, edited) = await EditAsync(cli, answers, pending, approval, cancellationToken);
                    if (ended)
                    {
                        return null;
                    }

                    if (edited is null)
                    {
                        // Refused by the policy, or left empty: the request is asked again.
                        continue;
                    }

                    var note = await CommentAsync(cli, answers, cancellationToken);
                    return note.Ended ? null : new Answer("allow_once", note.Comment, edited);
                case "s":
                    return new Answer("skip");
            }
        }
    }

    /// <summary>
    /// Asks for the changed part of the call (a shell call's command, a file's content, or other tools' args as
    /// JSON) and judges the edited call as the worker will; null args when it was left empty or is refused.
    /// </summary>
    private static async Task<(bool Ended, JsonObject? Args)> EditAsync(CliContext cli, AnswerInput answers, PendingApprovals pending, Approval approval, CancellationToken cancellationToken)
    {
        var field = approval.Action.Tool switch
        {
            ToolNames.Shell => "command",
            ToolNames.FsWrite => "content",
            _ => null,
        };
        cli.Console.Write(field is null ? "New args (a JSON object, Enter to go back): " : $"New {field} (one line, Enter to go back): ");
        if (await answers.LineAsync(cancellationToken) is not { } line)
        {
            return (true, null);
        }

        if (string.IsNullOrWhiteSpace(line))
        {
            return (false, null);
        }

        JsonObject changes;
        try
        {
            changes = field is not null ? new JsonObject { [field] = line } : JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            await cli.Errors.WriteLineAsync($"Not a JSON object of args ({ex.Message}); nothing was sent.");
            return (false, null);
        }

        var edited = PendingApprovals.EditedArgs(approval, changes);
        if (pending.EditRefusal(approval, edited) is { } refusal)
        {
            await cli.Errors.WriteLineAsync($"Refused: {refusal} Nothing was sent.");
            return (false, null);
        }

        return (false, edited);
    }

    /// <summary>An optional comment (empty: none), unless the input ended.</summary>
    private static async Task<(bool Ended, string? Comment)> CommentAsync(CliContext cli, AnswerInput answers, CancellationToken cancellationToken)
    {
        while (true)
        {
            cli.Console.Write("Comment (Enter for none): ");
            if (await answers.LineAsync(cancellationToken) is not { } line)
            {
                return (true, null);
            }

            var comment = string.IsNullOrWhiteSpace(line) ? null : line.Trim();
            if (comment is not null && MessageLimits.CommentProblem(comment) is { } problem)
            {
                await cli.Errors.WriteLineAsync($"The {problem}");
                continue;
            }

            return (false, comment);
        }
    }

    /// <summary>A decision as the person gave it; <c>skip</c> sends nothing.</summary>
    private sealed record Answer(string Decision, string? Comment = null, JsonObject? EditedArgs = null);
}
