using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// Asks a person to decide an approval, for <c>duck approvals watch</c> and <c>duck run</c> alike: <c>a</c>,
/// <c>f</c>, <c>e</c> (edit, then allow once), <c>d</c>, and <c>s</c> where the request can be left to someone
/// else. Text after a line's answer is its comment, or after <c>e</c> the edit; on a terminal, where an answer
/// is one key, a denial and an edit ask for a comment line. An edit is a command line for a shell call and a JSON
/// object of the args it changes for any other call, judged by the worker's policy before it is taken.
/// </summary>
internal sealed class ApprovalPrompt(CliContext cli, AnswerInput answers, PendingApprovals pending)
{
    /// <summary>The person's answer; null when the input ended before they gave one.</summary>
    public async Task<ApprovalAnswer?> AskAsync(Approval approval, bool canSkip, CancellationToken cancellationToken)
    {
        while (true)
        {
            cli.Console.Write($"[a]llow once, allow [f]orever, [e]dit then allow once, [d]eny{(canSkip ? ", [s]kip" : "")}? ");
            if (await answers.NextAsync(cancellationToken) is not var (key, text))
            {
                return null;
            }

            switch (key)
            {
                case "a":
                    return new ApprovalAnswer(ApprovalDecision.AllowOnce, await CommentAsync(text));
                case "f":
                    return new ApprovalAnswer(ApprovalDecision.AllowForever, await CommentAsync(text));
                case "d":
                    // The comment is optional: an input that ends here still denies.
                    return new ApprovalAnswer(ApprovalDecision.Deny, await CommentAsync(text ?? (answers.AsksForText ? await AskCommentAsync(cancellationToken) : null)));
                case "e":
                    var (ended, edited) = await EditAsync(approval, text, cancellationToken);
                    if (ended)
                    {
                        return null;
                    }

                    if (edited is null)
                    {
                        // Refused by the policy, or left empty: the request is asked again.
                        continue;
                    }

                    return new ApprovalAnswer(ApprovalDecision.AllowOnce, answers.AsksForText ? await CommentAsync(await AskCommentAsync(cancellationToken)) : null, edited);
                case "s" when canSkip:
                    return ApprovalAnswer.Skipped;
            }
        }
    }

    /// <summary>
    /// The call's args as edited, from <paramref name="typed"/> or asked for; null args when the edit was left
    /// empty, is not one, or is refused (and said why).
    /// </summary>
    private async Task<(bool Ended, JsonObject? Args)> EditAsync(Approval approval, string? typed, CancellationToken cancellationToken)
    {
        var shell = approval.Action.Tool == ToolNames.Shell;
        if (typed is null)
        {
            cli.Console.Write(shell ? "New command (one line, Enter to go back): " : "Changed args (a JSON object, Enter to go back): ");
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
            changes = shell ? new JsonObject { ["command"] = typed } : JsonNode.Parse(typed) as JsonObject ?? throw new JsonException("it is not an object.");
        }
        catch (JsonException ex)
        {
            await cli.Errors.WriteLineAsync($"An edit of a {approval.Action.Tool} call is a JSON object of the args it changes, e.g. {{\"content\": \"…\"}}: {ex.Message}");
            return (false, null);
        }

        var edited = PendingApprovals.EditedArgs(approval, changes);
        if (pending.EditRefusal(approval, edited) is { } refusal)
        {
            await cli.Errors.WriteLineAsync($"Refused: {refusal}");
            return (false, null);
        }

        return (false, edited);
    }

    /// <summary>A comment line, asked for on a terminal (Enter for none); null at the end of the input.</summary>
    private async Task<string?> AskCommentAsync(CancellationToken cancellationToken)
    {
        cli.Console.Write("Comment (Enter for none): ");
        return await answers.LineAsync(cancellationToken);
    }

    /// <summary>The comment as sent: none when empty; one no decision may carry (too long, or with control characters) is left out, and said so.</summary>
    private async Task<string?> CommentAsync(string? typed)
    {
        var comment = string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();
        if (comment is not null && MessageLimits.CommentProblem(comment) is { } problem)
        {
            await cli.Errors.WriteLineAsync($"The {problem} It was left out.");
            return null;
        }

        return comment;
    }
}
