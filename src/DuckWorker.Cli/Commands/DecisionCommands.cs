using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Cli.Broker;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck approve ID [--forever] [--task T] [--comment C] [--edit JSON | --command LINE]</c> and
/// <c>duck deny ID [--task T] [--comment C]</c>: a decision for scripts, checked against the store (and an edit
/// against the worker's policy), then published to the decisions queue.
/// </summary>
internal static class DecisionCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> configure)
    {
        yield return Decision("approve", "Allow an action that waits for approval.", configure, allow: true);
        yield return Decision("deny", "Deny an action that waits for approval.", configure, allow: false);
    }

    /// <summary>Who decides, unless told: the user running the command.</summary>
    public static Option<string> DecidedBy() => new("--decided-by")
    {
        Description = "Who decides (default: the user running duck).",
        DefaultValueFactory = _ => Environment.UserName,
    };

    /// <summary>
    /// The args of an edited call: <paramref name="edit"/> (a JSON object laid over the proposed args) or
    /// <paramref name="commandLine"/> (a <c>shell_exec_safe</c> call's new command); null when neither is given.
    /// </summary>
    public static JsonObject? EditedArgs(Approval approval, string? edit, string? commandLine)
    {
        if (edit is not null && commandLine is not null)
        {
            throw new CliException("Give --edit or --command, not both. Nothing was sent.");
        }

        if (commandLine is not null)
        {
            return approval.Action.Tool == ToolNames.Shell
                ? PendingApprovals.EditedArgs(approval, new JsonObject { ["command"] = commandLine })
                : throw new CliException($"--command edits a {ToolNames.Shell} call; approval {approval.ApprovalId} is a {approval.Action.Tool} call: use --edit '{{...}}'. Nothing was sent.");
        }

        if (edit is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(edit) is JsonObject changes
                ? PendingApprovals.EditedArgs(approval, changes)
                : throw new CliException("--edit must be a JSON object of the call's args, e.g. '{\"content\": \"...\"}'. Nothing was sent.");
        }
        catch (JsonException ex)
        {
            throw new CliException($"--edit is not JSON: {ex.Message} Nothing was sent.");
        }
    }

    private static Command Decision(string name, string description, Func<ParseResult, CliContext> configure, bool allow)
    {
        var approvalId = new Argument<string>("approval-id") { Description = "The approval's id, from the approval request." };
        var decidedBy = DecidedBy();
        var taskId = new Option<string?>("--task") { Description = "Decide only if the approval belongs to this task (its id or its job's id)." };
        var comment = new Option<string?>("--comment")
        {
            Description = allow
                ? "What you say with the decision; it is recorded, and the models read it."
                : "Why, or what to do instead; the models read it (\"denied: <comment>\") and the answer can follow it.",
        };
        var command = new Command(name, $"{description} Refused (exit code 2) when the approval is unknown, decided, of a finished task, or of another task than --task.")
        {
            approvalId, decidedBy, taskId, comment,
        };
        var forever = new Option<bool>("--forever") { Description = "Allow the same action in the same workspace from now on, without asking (the request states exactly what; with an edit, the edited action)." };
        var edit = new Option<string?>("--edit")
        {
            Description = "Allow the call with changed args: a JSON object laid over the proposed ones, e.g. '{\"content\": \"...\"}' for fs_write. The worker's policy judges it first; a blocked edit is refused (exit code 2).",
        };
        var commandLine = new Option<string?>("--command") { Description = "Allow a shell_exec_safe call with this command line instead (judged by the policy first, as --edit)." };
        if (allow)
        {
            command.Options.Add(forever);
            command.Options.Add(edit);
            command.Options.Add(commandLine);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var decision = !allow ? "deny" : parse.GetValue(forever) ? "allow_forever" : "allow_once";
            var pending = PendingApprovals.From(cli.Agent());
            var (approval, refusal) = await pending.CheckAsync(parse.GetValue(approvalId)!, parse.GetValue(taskId), cancellationToken);
            if (refusal is not null)
            {
                throw new CliException($"{refusal} Nothing was sent.");
            }

            if (parse.GetValue(comment) is { } said && MessageLimits.CommentProblem(said) is { } problem)
            {
                throw new CliException($"--comment: {problem} Nothing was sent.");
            }

            var editedArgs = allow ? EditedArgs(approval!, parse.GetValue(edit), parse.GetValue(commandLine)) : null;
            if (editedArgs is not null && pending.EditRefusal(approval!, editedArgs) is { } blocked)
            {
                throw new CliException($"{blocked} Nothing was sent.");
            }

            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await broker.DecideAsync(
                new ApprovalDecisionV1(approval!.ApprovalId, decision, parse.GetValue(decidedBy)!)
                {
                    TaskId = approval.TaskId,
                    Comment = parse.GetValue(comment),
                    EditedArgs = editedArgs,
                },
                cancellationToken);
            cli.Console.WriteLine($"Sent {decision}{(editedArgs is null ? "" : " (edited)")} for approval {approval.ApprovalId}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
