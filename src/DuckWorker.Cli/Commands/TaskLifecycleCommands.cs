using System.CommandLine;
using System.Text.Json;
using DuckWorker.Cli.Broker;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck tasks cancel ID [--reason R]</c> and <c>duck tasks retry ID</c>: stop a task, or run a failed one again
/// as a new task of the same job. A task that cannot be cancelled or retried is refused with exit code 2 and the reason.
/// </summary>
internal static class TaskLifecycleCommands
{
    public static IEnumerable<Command> Create(Func<ParseResult, CliContext> configure)
    {
        yield return Cancel(configure);
        yield return Retry(configure);
    }

    private static Command Cancel(Func<ParseResult, CliContext> configure)
    {
        var id = TaskId();
        var reason = new Option<string?>("--reason") { Description = "Why, recorded with the task and in its error." };
        var by = By();
        var command = new Command(
            "cancel",
            "Stop a task: a running one stops at its next step (never in the middle of a tool call), one waiting for approval ends at once "
            + "and its approval is closed, a job not picked up yet ends without running. The outcome is announced as task.failed.")
        {
            id, reason, by,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var services = cli.Agent();
            var tasks = services.GetRequiredService<ITaskStore>();
            var loop = services.GetRequiredService<RuntimeLoop>();
            var key = parse.GetValue(id)!;
            var task = await FindAsync(tasks, key, cancellationToken);
            if (task is { Status: AgentTaskStatus.Completed or AgentTaskStatus.Failed })
            {
                throw Finished(task);
            }

            // A waiting task ends here, and its end is announced from here: the broker is reached before anything
            // changes, so that a broker out of reach leaves the task as it was.
            var broker = task?.Status == AgentTaskStatus.WaitingForApproval ? await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken) : null;
            try
            {
                var asked = task is null
                    ? await loop.CancelQueuedJobAsync(key, parse.GetValue(by)!, parse.GetValue(reason), cancellationToken)
                    : await loop.RequestCancelAsync(task, parse.GetValue(by)!, parse.GetValue(reason), cancellationToken);
                if (asked is null)
                {
                    throw Finished((await tasks.GetAsync(task!.TaskId, cancellationToken))!);
                }

                if (task is null && asked.Status == AgentTaskStatus.Failed)
                {
                    cli.Console.WriteLine($"Job {key} was not picked up yet: it is recorded as task {asked.TaskId}, failed: {asked.Error}. The worker that picks it up announces that, without running it.");
                    return ExitCodes.Success;
                }

                if (asked.Status == AgentTaskStatus.Failed)
                {
                    broker ??= await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
                    await broker.AnnounceFinishedAsync(asked, cancellationToken);
                    cli.Console.WriteLine($"Task {asked.TaskId} ended: {asked.Error}.");
                    return ExitCodes.Success;
                }

                cli.Console.WriteLine($"Task {asked.TaskId} is {WireName.Of(asked.Status)}: {asked.CancelRequest!.Describe()}; it stops at its next step, and its end is announced.");
                return ExitCodes.Success;
            }
            finally
            {
                if (broker is not null)
                {
                    await broker.DisposeAsync();
                }
            }
        });
        return command;
    }

    private static Command Retry(Func<ParseResult, CliContext> configure)
    {
        var id = TaskId();
        var by = By();
        var json = TasksCommand.JsonOption();
        var command = new Command(
            "retry",
            "Run a failed (or cancelled) task again, as a new task of the same job: job id <jobId>#retry-N, the same message, workspace, "
            + "history and reply_to. Its job is put into the jobs queue.")
        {
            id, by, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var services = cli.Agent();
            var tasks = services.GetRequiredService<ITaskStore>();
            var key = parse.GetValue(id)!;
            var task = await FindAsync(tasks, key, cancellationToken) ?? throw new CliException($"No task has the id (or job id) '{key}'.");
            if (task.Status != AgentTaskStatus.Failed)
            {
                throw new CliException($"Task {task.TaskId} is {WireName.Of(task.Status)}; only a failed task runs again.");
            }

            // Reached first, so that a broker out of reach records no new task.
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            var (retry, refusal) = await services.GetRequiredService<RuntimeLoop>().RetryAsync(task, parse.GetValue(by)!, cancellationToken);
            if (retry is null)
            {
                throw new CliException(refusal);
            }

            var job = new ChatJobV1(retry.JobId, retry.Message)
            {
                Workspace = retry.Workspace,
                Debug = retry.Debug,
                Reasoning = retry.Reasoning is { } mode ? WireName.Of(mode) : null,
                Reflect = retry.Reflect,
            };
            await broker.SubmitAsync(MessageTypes.Chat, job, retry.JobId, retry.ReplyTo, cancellationToken);
            cli.Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(new { retry.TaskId, retry.JobId, RetryOf = task.TaskId }, JsonSerializerOptions.Web)
                : $"Task {task.TaskId} runs again as task {retry.TaskId} (job {retry.JobId}).");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> TaskId() => new("task-id") { Description = "The task's id (or its job's id)." };

    private static Option<string> By() => new("--by")
    {
        Description = "Who asks (default: the user running duck).",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private static async Task<AgentTask?> FindAsync(ITaskStore tasks, string id, CancellationToken cancellationToken) =>
        await tasks.GetAsync(id, cancellationToken) ?? await tasks.FindByJobIdAsync(id, cancellationToken);

    private static CliException Finished(AgentTask task) =>
        new($"Task {task.TaskId} has already finished ({WireName.Of(task.Status)}{(task.Error is null ? "" : ": " + task.Error)}); there is nothing to cancel.");
}
