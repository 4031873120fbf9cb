using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Worker;

public sealed class ATaskHeldByAnotherRunIsNeverRunTwice(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARedeliveryWhileAnotherRunHoldsTheLeaseRunsNothingAndTheSweeperResumesTheTaskOnceTheLeaseExpires()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?>
        {
            ["Worker:LeaseDuration"] = "00:00:02",
            ["Worker:SweepInterval"] = "00:00:00.200",
        });
        worker.Ollama.Fallback = Replies.Answering;
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        // A run elsewhere (a worker past the broker's consumer timeout, or one about to die) holds the task.
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "held", Message = "who holds me", Reflect = false }, Ct);
        var now = DateTimeOffset.UtcNow;
        Assert.NotNull(await worker.Tasks.TryAcquireLeaseAsync(task.TaskId, "ghost-run", now.AddSeconds(2), now, Ct));

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "held", "message": "who holds me", "reflect": false}""", "duck.chat.v1", Ct);
        while (await broker.MessageCountAsync(worker.Names.Jobs, Ct) > 0)
        {
            await Task.Delay(20, Ct);
        }

        await Task.Delay(300, Ct);
        Assert.Empty(worker.Ollama.Chats);
        Assert.Empty(finished.Received);

        var done = await finished.WaitForAsync(_ => true, TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(("completed", "answer to who holds me"), (done.Json.GetProperty("status").GetString(), done.Json.GetProperty("finalResponse").GetString()));
        Assert.Single(worker.Ollama.Chats, c => c.Model == WorkerHarness.Thinker);
        var stored = (await worker.Tasks.GetAsync(task.TaskId, Ct))!;
        Assert.Equal((AgentTaskStatus.Completed, 2), (stored.Status, stored.Attempts));
    }
}
