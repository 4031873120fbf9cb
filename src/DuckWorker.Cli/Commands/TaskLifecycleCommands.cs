using System.CommandLine;
using System.Text.Json;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Lifecycle;
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
            CliBroker? broker = null;
            try
            {
                cli.Console.WriteLine(await TaskCancellation.CancelAsync(
                    services.GetRequiredService<ITaskStore>(),
                    services.GetRequiredService<RuntimeLoop>(),
                    async ct => broker ??= await CliBroker.ConnectAsync(cli.Configuration(), ct),
                    parse.GetValue(id)!,
                    parse.GetValue(by)!,
                    parse.GetValue(reason),
                    cancellationToken));
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
            var key = parse.GetValue(id)!;
            var task = await FindAsync(services.GetRequiredService<ITaskStore>(), key, cancellationToken) ?? throw new CliException($"No task has the id (or job id) '{key}'.");
            CliBroker? broker = null;
            try
            {
                var retry = await TaskRetry.RetryAsync(
                    services.GetRequiredService<RuntimeLoop>(),
                    async ct => broker = await CliBroker.ConnectAsync(cli.Configuration(), ct),
                    task,
                    parse.GetValue(by)!,
                    cancellationToken);
                cli.Console.WriteLine(parse.GetValue(json)
                    ? JsonSerializer.Serialize(new { retry.TaskId, retry.JobId, RetryOf = task.TaskId }, JsonSerializerOptions.Web)
                    : $"Task {task.TaskId} runs again as task {retry.TaskId} (job {retry.JobId}).");
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

    private static Argument<string> TaskId() => new("task-id") { Description = "The task's id (or its job's id)." };

    private static Option<string> By() => new("--by")
    {
        Description = "Who asks (default: the user running duck).",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private static async Task<AgentTask?> FindAsync(ITaskStore tasks, string id, CancellationToken cancellationToken) =>
        await tasks.GetAsync(id, cancellationToken) ?? await tasks.FindByJobIdAsync(id, cancellationToken);
}
