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
    public async Task AnOllamaOutageRequeuesTheJobAndTheTaskResumesWhenItIsBack()
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
        var types = await worker.EventTypesAsync(task.TaskId);
        Assert.Equal(2, types.Count(t => t == EventTypes.TaskResumed));
        Assert.Single(types, t => t == EventTypes.TaskCreated);
        Assert.Single(types, t => t == EventTypes.TaskCompleted);
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
        Assert.Contains("The thinker model is unavailable", reason, StringComparison.Ordinal);
        Assert.Contains("(after 3 attempts)", reason, StringComparison.Ordinal);
        Assert.Equal(3, worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker));
        Assert.Equal(AgentTaskStatus.Failed, (await worker.Tasks.FindByJobIdAsync("down", Ct))!.Status);
    }
}
