using System.CommandLine;
using DuckWorker.Cli.Broker;
using DuckWorker.RabbitMq.Contracts;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck approve ID [--forever] [--task T]</c> and <c>duck deny ID [--task T]</c>: a decision for scripts,
/// checked against the store, then published to the decisions queue.
/// </summary>
internal static class DecisionCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> configure)
    {
        var forever = new Option<bool>("--forever") { Description = "Allow the same action in the same workspace from now on, without asking (the request states exactly what)." };
        yield return Decision("approve", "Allow an action that waits for approval.", configure, forever);
        yield return Decision("deny", "Deny an action that waits for approval.", configure, null);
    }

    /// <summary>Who decides, unless told: the user running the command.</summary>
    public static Option<string> DecidedBy() => new("--decided-by")
    {
        Description = "Who decides (default: the user running duck).",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private static Command Decision(string name, string description, Func<ParseResult, CliContext> configure, Option<bool>? forever)
    {
        var approvalId = new Argument<string>("approval-id") { Description = "The approval's id, from the approval request." };
        var decidedBy = DecidedBy();
        var taskId = new Option<string?>("--task") { Description = "Decide only if the approval belongs to this task (its id or its job's id)." };
        var command = new Command(name, $"{description} Refused (exit code 2) when the approval is unknown, decided, of a finished task, or of another task than --task.")
        {
            approvalId, decidedBy, taskId,
        };
        if (forever is not null)
        {
            command.Options.Add(forever);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var decision = forever is null ? "deny" : parse.GetValue(forever) ? "allow_forever" : "allow_once";
            var (approval, refusal) = await PendingApprovals.From(cli.Agent()).CheckAsync(parse.GetValue(approvalId)!, parse.GetValue(taskId), cancellationToken);
            if (refusal is not null)
            {
                throw new CliException($"{refusal} Nothing was sent.");
            }

            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await broker.DecideAsync(new ApprovalDecisionV1(approval!.ApprovalId, decision, parse.GetValue(decidedBy)!) { TaskId = approval.TaskId }, cancellationToken);
            cli.Console.WriteLine($"Sent {decision} for approval {approval.ApprovalId}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
