using System.CommandLine;
using System.Text.Json;
using DuckWorker.Cli.Rendering;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary><c>duck tasks list|show ID|events ID [--follow]</c>: tasks and their event logs, from the store the worker uses.</summary>
internal static class TasksCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var json = JsonOption();
        var status = new Option<string?>("--status") { Description = "Only tasks in this status." };
        status.AcceptOnlyFromAmong("running", "waiting_for_approval", "completed", "failed");
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 20 };
        var list = new Command("list", "The newest tasks.") { status, limit, json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var tasks = cli.Agent().GetRequiredService<ITaskStore>();
            var wanted = parse.GetValue(status) is { } text ? WireName.Parse<AgentTaskStatus>(text) : (AgentTaskStatus?)null;
            var found = await tasks.ListAsync(wanted, parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(json))
            {
                cli.Console.WriteLine(JsonSerializer.Serialize(found.Select(Summary), Json));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("task", "job", "status", "created", "message");
            foreach (var task in found)
            {
                table.AddRow(task.TaskId, Markup.Escape(task.JobId), WireName.Of(task.Status), task.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(Clip(task.Message)));
            }

            cli.Console.Write(table);
            return ExitCodes.Success;
        });

        var showId = TaskId();
        var show = new Command("show", "One task: its status, answer or error.") { showId, json };
        show.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var task = await FindAsync(cli.Agent().GetRequiredService<ITaskStore>(), parse.GetValue(showId)!, cancellationToken);
            if (parse.GetValue(json))
            {
                cli.Console.WriteLine(JsonSerializer.Serialize(Summary(task), Json));
                return ExitCodes.Success;
            }

            cli.Console.WriteLine($"task:      {task.TaskId}");
            cli.Console.WriteLine($"job:       {task.JobId}");
            cli.Console.WriteLine($"status:    {WireName.Of(task.Status)}");
            cli.Console.WriteLine($"workspace: {task.Workspace}");
            cli.Console.WriteLine($"message:   {task.Message}");
            if (task.FinalResponse is not null)
            {
                cli.Console.WriteLine($"answer:    {task.FinalResponse}");
            }

            if (task.Error is not null)
            {
                cli.Console.WriteLine($"error:     {task.Error}");
            }

            if (task.CancelRequest is { } cancel && task.Status is AgentTaskStatus.Running or AgentTaskStatus.WaitingForApproval)
            {
                cli.Console.WriteLine($"cancel:    {cancel.Describe()} (asked {cancel.At.ToString("u", System.Globalization.CultureInfo.InvariantCulture)}; it stops at its next step)");
            }

            return ExitCodes.Success;
        });

        var eventsId = TaskId();
        var follow = new Option<bool>("--follow") { Description = "Keep printing new events until the task completes, fails or waits for approval." };
        var events = new Command("events", "A task's event log.") { eventsId, follow, json };
        events.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var services = cli.Agent();
            var tasks = services.GetRequiredService<ITaskStore>();
            var log = services.GetRequiredService<IEventLog>();
            var task = parse.GetValue(follow)
                ? await AppearedAsync(cli, tasks, parse.GetValue(eventsId)!, parse.GetValue(json), cancellationToken)
                : await FindAsync(tasks, parse.GetValue(eventsId)!, cancellationToken);
            long seen = 0;
            while (true)
            {
                await foreach (var entry in log.ReadAsync(task.TaskId, seen, cancellationToken))
                {
                    cli.Console.WriteLine(parse.GetValue(json)
                        ? JsonSerializer.Serialize(new { entry.TaskId, entry.Seq, entry.EventType, entry.Payload, entry.At }, ContractJsonLines)
                        : EventLine.Of(entry.Seq, entry.EventType, entry.Payload));
                    seen = entry.Seq;
                }

                task = (await tasks.GetAsync(task.TaskId, cancellationToken))!;
                if (!parse.GetValue(follow) || task.Status != AgentTaskStatus.Running)
                {
                    return ExitCodes.Success;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        });

        var command = new Command("tasks", "Tasks in the store.") { list, show, events, TasksQueuedCommand.Create(configure) };
        foreach (var lifecycle in TaskLifecycleCommands.Create(configure))
        {
            command.Subcommands.Add(lifecycle);
        }

        return command;
    }

    private static readonly JsonSerializerOptions ContractJsonLines = new(JsonSerializerDefaults.Web);

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON, for scripts." };

    private static Argument<string> TaskId() => new("task-id") { Description = "The task's id (or its job's id)." };

    /// <summary>A task by its id, or by its job's id; an unknown one is a usage error.</summary>
    public static async Task<AgentTask> FindAsync(ITaskStore tasks, string id, CancellationToken cancellationToken) =>
        await tasks.GetAsync(id, cancellationToken)
        ?? await tasks.FindByJobIdAsync(id, cancellationToken)
        ?? throw new CliException($"No task has the id (or job id) '{id}'.");

    /// <summary>
    /// The task to follow, once a worker has taken its job: a job just submitted has no task until then, so an
    /// unknown id is waited for (saying so once), not refused.
    /// </summary>
    private static async Task<AgentTask> AppearedAsync(CliContext cli, ITaskStore tasks, string id, bool json, CancellationToken cancellationToken)
    {
        var said = false;
        while (true)
        {
            if ((await tasks.GetAsync(id, cancellationToken) ?? await tasks.FindByJobIdAsync(id, cancellationToken)) is { } task)
            {
                return task;
            }

            if (!said)
            {
                // Beside JSON lines, the notice goes to the error output, so that scripts still read only events.
                var notice = $"No task has the id (or job id) '{id}' yet: its job is queued (or the id is wrong). Waiting for a worker to take it; Ctrl+C to stop.";
                if (json)
                {
                    await cli.Errors.WriteLineAsync(notice);
                }
                else
                {
                    cli.Console.WriteLine(notice);
                }

                said = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static object Summary(AgentTask task) => new
    {
        task.TaskId,
        task.JobId,
        Status = WireName.Of(task.Status),
        task.Message,
        task.Workspace,
        task.FinalResponse,
        task.Error,
        task.CreatedAt,
        task.UpdatedAt,
    };

    private static string Clip(string text) => text.Length <= 60 ? text.ReplaceLineEndings(" ") : text[..60].ReplaceLineEndings(" ") + "…";
}
