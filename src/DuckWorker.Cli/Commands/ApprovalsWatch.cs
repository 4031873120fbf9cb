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

    /// <summary>
    /// The person's answer; null when the input ended before they gave one. Text after a line's answer is its
    /// comment (for <c>e</c>, the edit); on a terminal, a denial and an edit ask for a comment line.
    /// </summary>
    private static async Task<Answer?> AskAsync(CliContext cli, AnswerInput answers, PendingApprovals pending, Approval approval, CancellationToken cancellationToken)
    {
        while (true)
        {
            cli.Console.Write("[a]llow once, allow [f]orever, [e]dit then allow once, [d]eny, [s]kip? ");
            if (await answers.NextAsync(cancellationToken) is not var (key, text))
            {
                return null;
            }

            switch (key)
            {
                case "a":
                    return new Answer("allow_once", await CommentAsync(cli, text));
                case "f":
                    return new Answer("allow_forever", await CommentAsync(cli, text));
                case "d":
                    // The comment is optional: an input that ends here still denies.
                    return new Answer("deny", await CommentAsync(cli, text ?? (answers.AsksForText ? await AskCommentAsync(cli, answers, cancellationToken) : null)));
                case "e":
                    var (ended, edited) = await EditAsync(cli, answers, pending, approval, text, cancellationToken);
                    if (ended)
                    {
                        return null;
                    }

                    if (edited is null)
                    {
                        // Refused by the policy, or left empty: the request is asked again.
                        continue;
                    }

                    return new Answer("allow_once", answers.AsksForText ? await CommentAsync(cli, await AskCommentAsync(cli, answers, cancellationToken)) : null, edited);
                case "s":
                    return new Answer("skip");
            }
        }
    }

    /// <summary>
    /// The changed part of the call (a shell call's command, a file's content, or other tools' args as JSON), from
    /// <paramref name="typed"/> or asked for, judged as the worker will judge it; null args when it was left
    /// empty or is refused.
    /// </summary>
    private static async Task<(bool Ended, JsonObject? Args)> EditAsync(
        CliContext cli,
        AnswerInput answers,
        PendingApprovals pending,
        Approval approval,
        string? typed,
        CancellationToken cancellationToken)
    {
        var field = approval.Action.Tool switch
        {
            ToolNames.Shell => "command",
            ToolNames.FsWrite => "content",
            _ => null,
        };
        if (typed is null)
        {
            cli.Console.Write(field is null ? "New args (a JSON object, Enter to go back): " : $"New {field} (one line, Enter to go back): ");
            typed = await answers.LineAsync(cancellationToken);
            if (typed is null)
            {
                return (true, null);
            }
        }

        if (string.IsNullOrWhiteSpace(typed))
        {
            return (false, null);
        }

        JsonObject changes;
        try
        {
            changes = field is not null ? new JsonObject { [field] = typed } : JsonNode.Parse(typed) as JsonObject ?? throw new JsonException("it is not an object");
        }
        catch (JsonException ex)
        {
            await cli.Errors.WriteLineAsync($"Not a JSON object of args: {ex.Message} Nothing was sent.");
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

    /// <summary>A comment line, asked for on a terminal (Enter for none); null at the end of the input.</summary>
    private static async Task<string?> AskCommentAsync(CliContext cli, AnswerInput answers, CancellationToken cancellationToken)
    {
        cli.Console.Write("Comment (Enter for none): ");
        return await answers.LineAsync(cancellationToken);
    }

    /// <summary>The comment as sent: none when empty; one no decision may carry (too long, or with control characters) is left out, and said so.</summary>
    private static async Task<string?> CommentAsync(CliContext cli, string? typed)
    {
        var comment = string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();
        if (comment is not null && MessageLimits.CommentProblem(comment) is { } problem)
        {
            await cli.Errors.WriteLineAsync($"The {problem} It was left out.");
            return null;
        }

        return comment;
    }

    /// <summary>A decision as the person gave it; <c>skip</c> sends nothing.</summary>
    private sealed record Answer(string Decision, string? Comment = null, JsonObject? EditedArgs = null);
}
