using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

public sealed class AModelOllamaDoesNotHaveFailsTheTaskAtOnce(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThePullCommandIsTheReasonAndNothingIsRetried()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Ollama:MaxRetries"] = "2", ["Worker:MaxAttempts"] = "3" });

        // What Ollama answers for a model it has not pulled.
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker
            ? new OllamaReply { StatusCode = 404, Content = $"model '{chat.Model}' not found" }
            : Replies.Answering(chat);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "first-run", "message": "hello", "reflect": false}""", "duck.chat.v1", Ct);

        var failed = await finished.WaitForAsync(_ => true, Patience, Ct);
        Assert.Equal("failed", failed.Json.GetProperty("status").GetString());
        var reason = failed.Json.GetProperty("finalResponse").GetString()!;
        Assert.Contains($"ollama pull {WorkerHarness.Thinker}", reason, StringComparison.Ordinal);
        Assert.Contains("Ollama:Roles:thinker:Model", reason, StringComparison.Ordinal);
        Assert.Single(worker.Ollama.Chats, c => c.Model == WorkerHarness.Thinker);
        var task = (await worker.Tasks.FindByJobIdAsync("first-run", Ct))!;
        Assert.Equal((AgentTaskStatus.Failed, 1), (task.Status, task.Attempts));
        var types = await worker.EventTypesAsync(task.TaskId);
        Assert.DoesNotContain(EventTypes.ModelUnavailable, types);
        Assert.Equal(EventTypes.TaskFailed, types[^1]);
    }

    [Fact]
    public async Task AMissingEmbeddingModelFallsBackToTheLocalOneAndTheTaskStillAnswers()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.EmbedFailure = 404;
        worker.Ollama.Fallback = Replies.Answering;

        var result = await worker.RunAsync("hello", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        var recalled = (await worker.EventsAsync(result.TaskId)).Single(e => e.EventType == EventTypes.MemoryRecalled).Payload;
        Assert.False(recalled.TryGetProperty("fallback", out var fallback) && fallback.ValueKind == System.Text.Json.JsonValueKind.String, "the message had a vector");
    }
}
