using System.Text.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

public sealed class DuckListsAndReplaysDeadLetters(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task WaitForDeadAsync(BrokerNames names, uint count)
    {
        for (var i = 0; i < 300 && await broker.MessageCountAsync(names.Dead, Ct) < count; i++)
        {
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task DeadLettersAreListedWithTheirReasonsWithoutLosingThemAndOneReplayedRunsAgain()
    {
        broker.SkipIfUnavailable();
        var names = broker.UniqueNames();
        var settings = names.Settings(broker.Uri!).ToDictionary();

        var empty = await Duck.RunAsync(settings, "", "dead", "list");

        // The broker dead-letters a job a consumer rejects; the worker dead-letters one it cannot read.
        await broker.PublishAsync(names.Jobs, """{"jobId": "again", "message": "hello again", "reflect": false}""", "duck.chat.v1", Ct, messageId: "rejected-1");
        await using (var channel = await broker.ChannelAsync(Ct))
        {
            var job = (await channel.BasicGetAsync(names.Jobs, autoAck: false, Ct))!;
            await channel.BasicNackAsync(job.DeliveryTag, multiple: false, requeue: false, Ct);
        }

        await using var worker = await WorkerHarness.RunAsync(broker, names: names);
        worker.Ollama.Fallback = Replies.Answering;
        await broker.PublishAsync(names.Jobs, "{oops", "duck.chat.v1", Ct, messageId: "bad-1");
        await WaitForDeadAsync(names, 2);

        var table = await Duck.RunAsync(worker, "dead", "list");
        var json = await Duck.RunAsync(worker, "dead", "list", "--json");
        var unknown = await Duck.RunAsync(worker, "dead", "replay", "nobody");
        var kept = await broker.MessageCountAsync(names.Dead, Ct);
        var replay = await Duck.RunAsync(worker, "dead", "replay", "rejected-1");

        Assert.Equal((0, $"No dead letters in {names.Dead}.\n"), (empty.Exit, empty.Output));
        Assert.True(table.Exit == 0, table.Errors);
        Assert.Contains($"2 dead letters in {names.Dead}:", table.Output, StringComparison.Ordinal);
        Assert.Matches($@"│ rejected-1\s+│ {names.Jobs}\s+│ duck\.chat\.v1\s+│ \d+s\s+│ rejected: a consumer refused it\s+│", table.Output);
        Assert.Matches($@"│ bad-1\s+│ {names.Jobs}\s+│ duck\.chat\.v1\s+│ \?\s+│ The body is not JSON: ", table.Output);
        Assert.Contains("Put one back with: duck dead replay ID", table.Output, StringComparison.Ordinal);
        Assert.Equal(["rejected-1", "bad-1"], JsonDocument.Parse(json.Output).RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        Assert.Equal((2, $"No dead letter has the id 'nobody' in {names.Dead}; duck dead list shows them.\n"), (unknown.Exit, unknown.Errors));
        Assert.Equal(2u, kept);
        Assert.Equal((0, $"Replayed rejected-1 onto {names.Jobs}.\n"), (replay.Exit, replay.Output));

        for (var i = 0; i < 300 && await worker.Tasks.FindByJobIdAsync("again", Ct) is not { Status: AgentTaskStatus.Completed }; i++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.Equal("answer to hello again", (await worker.Tasks.FindByJobIdAsync("again", Ct))?.FinalResponse);
        var left = await Duck.RunAsync(worker, "dead", "list", "--json");
        Assert.Equal(["bad-1"], JsonDocument.Parse(left.Output).RootElement.EnumerateArray().Select(d => d.GetProperty("id").GetString()));

        // A dead letter whose queue is gone stays where it is.
        await using (var channel = await broker.ChannelAsync(Ct))
        {
            var properties = new RabbitMQ.Client.BasicProperties { MessageId = "orphan-1", Headers = new Dictionary<string, object?> { ["x-duck-reason"] = "test", ["x-duck-original-queue"] = names.Prefix + ".gone" } };
            await channel.BasicPublishAsync(names.DeadLetterExchange, "", mandatory: true, properties, "{}"u8.ToArray(), Ct);
        }

        var orphan = await Duck.RunAsync(worker, "dead", "replay", "orphan-1");
        Assert.Equal((2, $"The queue '{names.Prefix}.gone' that dead letter 'orphan-1' came from does not exist (any more), so it stays where it is.\n"), (orphan.Exit, orphan.Errors));
        Assert.Equal(2u, await broker.MessageCountAsync(names.Dead, Ct));
    }
}
