using System.CommandLine;
using DuckWorker.Cli.Broker;
using DuckWorker.RabbitMq.Contracts;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary><c>duck approve ID [--forever]</c> and <c>duck deny ID</c>: a decision for scripts, published to the decisions queue.</summary>
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
        var command = new Command(name, description) { approvalId, decidedBy };
        if (forever is not null)
        {
            command.Options.Add(forever);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var decision = forever is null ? "deny" : parse.GetValue(forever) ? "allow_forever" : "allow_once";
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await broker.DecideAsync(new ApprovalDecisionV1(parse.GetValue(approvalId)!, decision, parse.GetValue(decidedBy)!), cancellationToken);
            cli.Console.WriteLine($"Sent {decision} for approval {parse.GetValue(approvalId)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
