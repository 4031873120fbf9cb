using System.CommandLine;
using System.Text.Json;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Rendering;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck tasks queued</c>: the jobs in the jobs queue that no worker has taken yet, so they have no task in the
/// store. They are taken without acknowledging and handed straight back, in their place.
/// </summary>
internal static class TasksQueuedCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var json = TasksCommand.JsonOption();
        var limit = new Option<int>("--limit") { Description = "Show at most this many, the next to run first.", DefaultValueFactory = _ => 50 };
        var queued = new Command("queued", "Jobs published but not yet picked up by a worker, the next to run first (taken unacknowledged and handed straight back).") { limit, json };
        queued.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await using var peek = await broker.PeekAsync(broker.Names.JobsQueue, parse.GetValue(limit), cancellationToken);
            var jobs = peek.Messages.Select(QueuedJob.Of).ToList();
            foreach (var job in jobs.Where(j => j.Deliveries >= broker.Names.DeliveryLimit))
            {
                // A quorum queue counts a handed-back message as one more delivery and dead-letters it past
                // RabbitMq:DeliveryLimit: a job on its last delivery goes back as a fresh copy instead, so that
                // looking at the queue never dead-letters a job.
                await peek.PublishAsync("", peek.Queue, MessageCopy.Of(job.Message.BasicProperties), job.Message.Body, cancellationToken);
                await peek.RemoveAsync(job.Message, cancellationToken);
            }

            if (parse.GetValue(json))
            {
                cli.Console.WriteLine(JsonSerializer.Serialize(new
                {
                    Queue = peek.Queue,
                    Waiting = peek.Waiting,
                    Workers = peek.Consumers,
                    Jobs = jobs.Select(j => new { j.JobId, j.Type, j.Summary, j.PublishedAt, j.Deliveries }),
                }, Json));
                return ExitCodes.Success;
            }

            var workers = peek.Consumers == 1 ? "1 worker" : $"{peek.Consumers} workers";
            if (jobs.Count == 0)
            {
                cli.Console.WriteLine($"No queued jobs in {peek.Queue} ({workers} consuming).");
                return ExitCodes.Success;
            }

            var waiting = peek.Waiting == 1 ? "1 job" : $"{peek.Waiting} jobs";
            cli.Console.WriteLine(jobs.Count < peek.Waiting
                ? $"{waiting} queued in {peek.Queue} ({workers} consuming), the next {jobs.Count}:"
                : $"{waiting} queued in {peek.Queue} ({workers} consuming):");
            var now = TimeProvider.System.GetUtcNow();
            var table = new Table().AddColumns("job", "type", "age", "deliveries", "message");
            foreach (var job in jobs)
            {
                table.AddRow(
                    Markup.Escape(job.JobId ?? "?"),
                    Markup.Escape(job.Type ?? "?"),
                    job.PublishedAt is { } at ? Age.Since(at, now) : "?",
                    job.Deliveries.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Markup.Escape(job.Summary));
            }

            cli.Console.Write(table);
            return ExitCodes.Success;
        });
        return queued;
    }
}
