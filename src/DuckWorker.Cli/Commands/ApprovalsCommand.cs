using System.CommandLine;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Rendering;
using DuckWorker.RabbitMq.Contracts;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck approvals watch</c>: the approval consumer for a person. Shows each <c>approval.requested</c> from the
/// approvers' inbox and publishes the decision typed for it: <c>a</c> allow once, <c>f</c> allow forever,
/// <c>d</c> deny, <c>s</c> skip (decide later with <c>duck approve</c>).
/// </summary>
internal static class ApprovalsCommand
{
    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var decidedBy = DecisionCommands.DecidedBy();
        var count = new Option<int?>("--count") { Description = "Stop after this many requests (default: watch until the input ends or Ctrl+C)." };
        var watch = new Command("watch", "Answer approval requests as they arrive.") { decidedBy, count };
        watch.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await using var inbox = await broker.ConsumeAsync(broker.Names.ApprovalsRequestedQueue, cancellationToken);
            cli.Console.WriteLine($"Watching {broker.Names.ApprovalsRequestedQueue} for approval requests.");
            var limit = parse.GetValue(count);
            for (var handled = 0; limit is null || handled < limit; handled++)
            {
                var request = await inbox.NextAsync(Timeout.InfiniteTimeSpan, cancellationToken);
                if (request is null)
                {
                    break;
                }

                var approvalId = request.Text("approvalId")!;
                ApprovalPanel.Write(cli.Console, approvalId, request.Text("tool")!, request.Body.GetProperty("action").GetProperty("args"), request.Text("riskLevel")!, request.Text("reason")!, request.Text("foreverScope")!);
                var decision = await AskAsync(cli);
                if (decision is null)
                {
                    // The input ended: the request stays in the inbox for the next approver.
                    return ExitCodes.Success;
                }

                if (decision != "skip")
                {
                    await broker.DecideAsync(new ApprovalDecisionV1(approvalId, decision, parse.GetValue(decidedBy)!) { TaskId = request.Text("taskId") }, cancellationToken);
                }

                await inbox.AckAsync(request, cancellationToken);
                cli.Console.WriteLine(decision == "skip" ? $"Skipped; decide later with: duck approve {approvalId}" : $"Sent {decision}.");
            }

            return ExitCodes.Success;
        });
        return new Command("approvals", "Approval requests.") { watch, ApprovalsListCommand.Create(configure) };
    }

    private static async Task<string?> AskAsync(CliContext cli)
    {
        while (true)
        {
            cli.Console.Write("[a]llow once, allow [f]orever, [d]eny, [s]kip? ");
            var answer = await cli.Input.ReadLineAsync();
            switch (answer?.Trim().ToLowerInvariant())
            {
                case null:
                    return null;
                case "a":
                    return "allow_once";
                case "f":
                    return "allow_forever";
                case "d":
                    return "deny";
                case "s":
                    return "skip";
            }
        }
    }
}
