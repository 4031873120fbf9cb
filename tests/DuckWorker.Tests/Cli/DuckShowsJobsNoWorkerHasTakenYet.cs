using System.Text.Json;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

public sealed class DuckShowsJobsNoWorkerHasTakenYet(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QueuedJobsAreShownInTheirOrderAndLookingAtThemNeverDeadLettersOne()
    {
        broker.SkipIfUnavailable();
        var names = broker.UniqueNames();
        // One delivery in hand: a look that counted as a delivery would dead-letter the jobs at the second look.
        var settings = new Dictionary<string, string?>(names.Settings(broker.Uri!)) { ["RabbitMq:DeliveryLimit"] = "1" };

        var empty = await Duck.RunAsync(settings, "", "tasks", "queued");
        await Duck.RunAsync(settings, "", "submit", "first question", "--job-id", "q-1", "--no-reflect");
        await Duck.RunAsync(settings, "", "submit", "second\nquestion", "--job-id", "q-2", "--no-reflect");
        var looks = new List<(int Exit, string Output, string Errors)>();
        for (var i = 0; i < 4; i++)
        {
            looks.Add(await Duck.RunAsync(settings, "", "tasks", "queued"));
        }

        var json = await Duck.RunAsync(settings, "", "tasks", "queued", "--json");
        var waiting = await broker.MessageCountAsync(names.Jobs, Ct);
        var dead = await broker.MessageCountAsync(names.Dead, Ct);

        Assert.Equal((0, $"No queued jobs in {names.Jobs} (0 workers consuming).\n"), (empty.Exit, empty.Output));
        Assert.All(looks, look =>
        {
            Assert.True(look.Exit == 0, look.Errors);
            Assert.StartsWith($"2 jobs queued in {names.Jobs} (0 workers consuming):\n", look.Output, StringComparison.Ordinal);
            Assert.Matches(@"│ q-1\s+│ duck\.chat\.v1\s+│ \d+s\s+│ \d+\s+│ first question\s+│(.|\n)*│ q-2\s+│ duck\.chat\.v1\s+│ \d+s\s+│ \d+\s+│ second question\s+│", look.Output);
        });
        var shown = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal((2, 0), (shown.GetProperty("waiting").GetInt32(), shown.GetProperty("workers").GetInt32()));
        Assert.Equal(["q-1", "q-2"], shown.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetString()));
        Assert.Equal((2u, 0u), (waiting, dead));

        // Every job is still there, in its place and unchanged, for the first worker that comes.
        await using var channel = await broker.ChannelAsync(Ct);
        var bodies = new List<JsonElement>();
        while (await channel.BasicGetAsync(names.Jobs, autoAck: true, Ct) is { } job)
        {
            bodies.Add(JsonDocument.Parse(job.Body).RootElement);
        }

        Assert.Equal(
            [("q-1", "first question"), ("q-2", "second\nquestion")],
            bodies.Select(b => (b.GetProperty("jobId").GetString(), b.GetProperty("message").GetString())));
        await using (await broker.ConsumeAsync(names.Jobs, Ct))
        {
            Assert.Equal($"No queued jobs in {names.Jobs} (1 worker consuming).\n", (await Duck.RunAsync(settings, "", "tasks", "queued")).Output);
        }

        await broker.DeleteAsync(names, Ct);
    }
}
