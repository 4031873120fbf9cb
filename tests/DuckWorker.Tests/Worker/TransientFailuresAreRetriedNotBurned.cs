using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

public sealed class TransientFailuresAreRetriedNotBurned(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Ollama:MaxRetries"] = "0",
        ["Worker:MaxAttempts"] = "3",
        ["Worker:RequeueDelay"] = "00:00:00.010",
    };

    [Fact]
    public async Task AnOllamaOutageIsOneModelUnavailableEventPerAttemptAndTheTaskGoesOnWhenItIsBack()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, FastRetries);
        var outage = 2;
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker && Interlocked.Decrement(ref outage) >= 0
            ? OllamaReply.Error(503)
            : Replies.Answering(chat);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "outage", "message": "are you there", "reflect": false}""", "duck.chat.v1", Ct);

        var done = await finished.WaitForAsync(_ => true, Patience, Ct);
        Assert.Equal(("completed", "answer to are you there"), (done.Json.GetProperty("status").GetString(), done.Json.GetProperty("finalResponse").GetString()));
        var task = (await worker.Tasks.FindByJobIdAsync("outage", Ct))!;
        Assert.Equal(3, task.Attempts);
        var events = await worker.EventsAsync(task.TaskId);
        var types = events.Select(e => e.EventType).ToList();
        Assert.DoesNotContain(EventTypes.TaskResumed, types);
        Assert.Single(types, t => t == EventTypes.TaskCreated);
        Assert.Single(types, t => t == EventTypes.TaskCompleted);
        var outages = events.Where(e => e.EventType == EventTypes.ModelUnavailable).Select(e => e.Payload).ToList();
        Assert.Equal([1, 2], outages.Select(o => o.GetProperty("attempt").GetInt32()));
        Assert.All(outages, o => Assert.Equal(("thinker", WorkerHarness.Thinker), (o.GetProperty("role").GetString(), o.GetProperty("model").GetString())));
        Assert.Equal([0.01, 0.02], outages.Select(o => o.GetProperty("delay").GetDouble()));
        Assert.All(outages, o => Assert.Contains("503", o.GetProperty("reason").GetString(), StringComparison.Ordinal));
        Assert.All(outages, o => Assert.DoesNotContain('\n', o.GetProperty("reason").GetString()!));
    }

    [Fact]
    public async Task AnOutageThatOutlastsTheAttemptsFailsTheTaskWithTheReason()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, FastRetries);
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker ? OllamaReply.Error(503) : Replies.Answering(chat);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "down", "message": "hello?", "reflect": false}""", "duck.chat.v1", Ct);

        var failed = await finished.WaitForAsync(_ => true, Patience, Ct);
        Assert.Equal("failed", failed.Json.GetProperty("status").GetString());
        var reason = failed.Json.GetProperty("finalResponse").GetString()!;
        Assert.Contains($"The thinker model ({WorkerHarness.Thinker}) is unavailable", reason, StringComparison.Ordinal);
        Assert.Contains("(after 3 attempts)", reason, StringComparison.Ordinal);
        Assert.Equal(3, worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker));
        var task = (await worker.Tasks.FindByJobIdAsync("down", Ct))!;
        Assert.Equal(AgentTaskStatus.Failed, task.Status);
        var events = await worker.EventsAsync(task.TaskId);
        var outages = events.Where(e => e.EventType == EventTypes.ModelUnavailable).Select(e => e.Payload).ToList();
        Assert.Equal([1, 2, 3], outages.Select(o => o.GetProperty("attempt").GetInt32()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, outages[^1].GetProperty("delay").ValueKind);
        Assert.Equal([EventTypes.ModelUnavailable, EventTypes.TaskFailed], events.TakeLast(2).Select(e => e.EventType));
        Assert.DoesNotContain(EventTypes.TaskResumed, events.Select(e => e.EventType));

        // The worker goes on serving: the next job, with the model back, completes.
        worker.Ollama.Fallback = Replies.Answering;
        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "back", "message": "still there?", "reflect": false}""", "duck.chat.v1", Ct);
        var next = await finished.WaitForAsync(m => m.Json.GetProperty("status").GetString() == "completed", Patience, Ct);
        Assert.Equal("answer to still there?", next.Json.GetProperty("finalResponse").GetString());
    }
}
