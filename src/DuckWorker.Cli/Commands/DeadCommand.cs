using System.CommandLine;
using System.Text.Json;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Rendering;
using RabbitMQ.Client.Exceptions;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck dead list|replay ID</c>: the messages of the dead-letter queue with the reason each is there, and
/// putting one back on the queue it came from. Listing takes them without acknowledging and hands them back, so
/// nothing leaves the queue but what is replayed.
/// </summary>
internal static class DeadCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var json = TasksCommand.JsonOption();
        var limit = new Option<int>("--limit") { Description = "At most this many, oldest first.", DefaultValueFactory = _ => 100 };
        var list = new Command("list", "Dead-lettered messages and why, oldest first.") { limit, json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await using var peek = await broker.PeekAsync(broker.Names.DeadQueue, parse.GetValue(limit), cancellationToken);
            var dead = peek.Messages.Select(DeadLetter.Of).ToList();
            if (parse.GetValue(json))
            {
                cli.Console.WriteLine(JsonSerializer.Serialize(dead.Select(d => new { d.Id, d.Type, d.Queue, d.Reason, d.At }), Json));
                return ExitCodes.Success;
            }

            if (dead.Count == 0)
            {
                cli.Console.WriteLine($"No dead letters in {peek.Queue}.");
                return ExitCodes.Success;
            }

            var now = TimeProvider.System.GetUtcNow();
            var letters = peek.Waiting == 1 ? "1 dead letter" : $"{peek.Waiting} dead letters";
            cli.Console.WriteLine(dead.Count < peek.Waiting ? $"{letters} in {peek.Queue}, the oldest {dead.Count}:" : $"{letters} in {peek.Queue}:");
            var table = new Table().AddColumns("id", "from", "type", "age", "reason");
            foreach (var letter in dead)
            {
                table.AddRow(
                    Markup.Escape(letter.Id),
                    Markup.Escape(letter.Queue ?? "?"),
                    Markup.Escape(letter.Type ?? "?"),
                    letter.At is { } at ? Age.Since(at, now) : "?",
                    Markup.Escape(letter.Reason.ReplaceLineEndings(" ")));
            }

            cli.Console.Write(table);
            cli.Console.WriteLine("Put one back with: duck dead replay ID");
            return ExitCodes.Success;
        });

        var id = new Argument<string>("id") { Description = "The dead letter's id, as duck dead list shows it." };
        var replay = new Command("replay", "Put a dead letter back on the queue it came from, and remove it from the dead-letter queue.") { id };
        replay.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var wanted = parse.GetValue(id)!;
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await using var peek = await broker.PeekAsync(broker.Names.DeadQueue, int.MaxValue, cancellationToken);
            var letter = peek.Messages.Select(DeadLetter.Of).FirstOrDefault(d => d.Id == wanted)
                ?? throw new CliException($"No dead letter has the id '{wanted}' in {peek.Queue}; duck dead list shows them.");
            if (letter.Queue is not { Length: > 0 } queue)
            {
                throw new CliException($"Dead letter '{wanted}' does not say which queue it came from, so it stays where it is.");
            }

            // Published (and confirmed) before it is removed: a failure in between leaves two copies, never none.
            try
            {
                await peek.PublishAsync("", queue, MessageCopy.Of(letter.Message.BasicProperties), letter.Message.Body, cancellationToken);
            }
            catch (PublishException ex) when (ex.IsReturn)
            {
                throw new CliException($"The queue '{queue}' that dead letter '{wanted}' came from does not exist (any more), so it stays where it is.");
            }

            await peek.RemoveAsync(letter.Message, cancellationToken);
            cli.Console.WriteLine($"Replayed {wanted} onto {queue}.");
            return ExitCodes.Success;
        });

        return new Command("dead", "The dead-letter queue: messages the worker or the broker gave up on.") { list, replay };
    }
}
