using System.CommandLine;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Rendering;
using DuckWorker.RabbitMq.Contracts;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck approvals watch</c>: the approval consumer for a person. Shows each pending <c>approval.requested</c>
/// from the approvers' inbox once and publishes the decision typed for it: <c>a</c> allow once, <c>f</c> allow
/// forever, <c>d</c> deny, <c>s</c> skip (it stays for the next watch; or decide later with <c>duck approve</c>).
/// </summary>
internal static class ApprovalsCommand
{
    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var decidedBy = DecisionCommands.DecidedBy();
        var count = new Option<int?>("--count") { Description = "Stop after this many requests (default: watch until the input ends, Ctrl+D on a terminal, or Ctrl+C)." };
        var watch = new Command("watch", "Answer approval requests as they arrive: one key each on a terminal, one line each from redirected input.") { decidedBy, count };
        watch.SetAction((parse, cancellationToken) => ApprovalsWatch.RunAsync(configure(parse), parse.GetValue(decidedBy)!, parse.GetValue(count), cancellationToken));
        return new Command("approvals", "Approval requests.") { watch, ApprovalsListCommand.Create(configure) };
    }
}
