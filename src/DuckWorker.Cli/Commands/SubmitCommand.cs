using System.CommandLine;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Rendering;
using DuckWorker.RabbitMq.Contracts;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck submit "message" [--workspace P] [--reasoning on|off] [--wait]</c>: publishes a <c>duck.chat.v1</c>;
/// with <c>--wait</c> it follows the task live, shows approval requests, and prints the answer.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var message = new Argument<string>("message") { Description = "What to ask." };
        var workspace = new Option<string?>("--workspace") { Description = "A folder under Tools:WorkspaceRoot (default: a new empty one)." };
        var reasoning = new Option<string?>("--reasoning") { Description = "Turn the thinker's reasoning on or off." };
        reasoning.AcceptOnlyFromAmong("on", "off");
        var noReflect = new Option<bool>("--no-reflect") { Description = "Skip the critic's reflection." };
        var jobId = new Option<string?>("--job-id") { Description = "The job id (default: a new one); a job id runs at most once." };
        var wait = new Option<bool>("--wait") { Description = "Follow the task until it completes or fails." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --wait waits.", DefaultValueFactory = _ => TimeSpan.FromMinutes(30) };
        var command = new Command("submit", "Submit a chat job to the worker.") { message, workspace, reasoning, noReflect, jobId, wait, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            var id = parse.GetValue(jobId) ?? Guid.NewGuid().ToString("N");
            var job = new ChatJobV1(id, parse.GetValue(message)!)
            {
                Workspace = parse.GetValue(workspace),
                Reasoning = parse.GetValue(reasoning),
                Reflect = !parse.GetValue(noReflect),
            };

            // Followed before the job is published, so that not one event is missed.
            await using var feed = parse.GetValue(wait)
                ? await broker.FollowAsync(cancellationToken, RoutingKeys.TaskEventPrefix + "*", RoutingKeys.ApprovalRequested, RoutingKeys.TaskCompleted, RoutingKeys.TaskFailed)
                : null;
            await broker.SubmitAsync(MessageTypes.Chat, job, id, null, cancellationToken);
            cli.Console.WriteLine($"Submitted job {id}.");
            return feed is null ? ExitCodes.Success : await FollowAsync(cli, feed, id, parse.GetValue(timeout), cancellationToken);
        });
        return command;
    }

    private static async Task<int> FollowAsync(CliContext cli, BrokerFeed feed, string jobId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (TimeProvider.System.GetElapsedTime(deadline) < timeout)
        {
            var message = await feed.NextAsync(timeout - TimeProvider.System.GetElapsedTime(deadline), cancellationToken);
            if (message is null || message.CorrelationId != jobId)
            {
                continue;
            }

            switch (message.RoutingKey)
            {
                case RoutingKeys.ApprovalRequested:
                    var action = message.Body.GetProperty("action");
                    ApprovalPanel.Write(cli.Console, message.Text("approvalId")!, message.Text("tool")!, action.GetProperty("args"), message.Text("riskLevel")!, message.Text("reason")!, message.Text("foreverScope")!);
                    cli.Console.WriteLine($"  decide:  duck approve {message.Text("approvalId")} [--forever]   or   duck deny {message.Text("approvalId")}");
                    break;
                case RoutingKeys.TaskCompleted:
                    cli.Console.WriteLine();
                    cli.Console.WriteLine(message.Text("finalResponse") ?? "");
                    return ExitCodes.Success;
                case RoutingKeys.TaskFailed:
                    await cli.Errors.WriteLineAsync($"The task failed: {message.Text("finalResponse")}");
                    return ExitCodes.TaskFailed;
                default:
                    cli.Console.WriteLine(EventLine.Of(message.Body.GetProperty("seq").GetInt64(), message.Text("eventType")!, message.Body.GetProperty("payload")));
                    break;
            }
        }

        throw new CliException($"Gave up waiting after {timeout}; the job goes on. Follow it with: duck tasks events <task id> --follow");
    }
}
