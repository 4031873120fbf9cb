using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Worker;

public sealed class AJobThroughTheQueueIsAnnounced(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AChatJobFromAnyAmqpClientEndsInTaskCompletedOnTheEventsExchangeAndTheReplyQueue()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Answering;
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await using var events = await broker.InboxAsync(worker.Names.Events, Ct, "task.event.*");
        var replyQueue = worker.Names.Prefix + ".replies";
        await broker.DeclareQueueAsync(replyQueue, Ct);
        await using var replies = await broker.ConsumeAsync(replyQueue, Ct);

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "job-1", "message": "hello duck", "reflect": false}""", "duck.chat.v1", Ct, replyTo: replyQueue);

        var done = await finished.WaitForAsync(m => m.Json.GetProperty("jobId").GetString() == "job-1", Patience, Ct);
        Assert.Equal(("task.completed", "duck.task-finished.v1", "application/json", true, "job-1"), (done.RoutingKey, done.Type, done.ContentType, done.Persistent, done.CorrelationId));
        Assert.False(string.IsNullOrEmpty(done.MessageId));
        var body = done.Json;
        Assert.Equal(["taskId", "jobId", "status", "finalResponse", "reasoningContent"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("completed", "answer to hello duck"), (body.GetProperty("status").GetString(), body.GetProperty("finalResponse").GetString()));
        var taskId = body.GetProperty("taskId").GetString()!;

        var reply = await replies.WaitForAsync(_ => true, Patience, Ct);
        Assert.Equal(done.Body, reply.Body);

        var stored = await worker.EventsAsync(taskId);
        var announced = await events.WaitForCountAsync(m => m.Json.GetProperty("taskId").GetString() == taskId, stored.Count, Patience, Ct);
        Assert.Equal(stored.Select(e => (e.Seq, "task.event." + e.EventType)), announced.Select(m => (m.Json.GetProperty("seq").GetInt64(), m.RoutingKey)).Order());
        Assert.All(announced, m => Assert.Equal(("duck.task-event.v1", "job-1"), (m.Type, m.CorrelationId)));
        var completedEvent = announced.Single(m => m.RoutingKey == "task.event." + EventTypes.TaskCompleted).Json;
        Assert.Equal(["taskId", "seq", "eventType", "payload", "at"], completedEvent.EnumerateObject().Select(p => p.Name));
        Assert.Equal("answer to hello duck", completedEvent.GetProperty("payload").GetProperty("final_response").GetString());
        Assert.Equal((uint)0, await broker.MessageCountAsync(worker.Names.Jobs, Ct));
        await using var channel = await broker.ChannelAsync(Ct);
        await channel.QueueDeleteAsync(replyQueue, ifUnused: false, ifEmpty: false, cancellationToken: Ct);
    }

    [Fact]
    public async Task ARedeliveredJobIsAnnouncedAgainWithoutRunningTwice()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Answering;
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed");
        const string job = """{"jobId": "twice", "message": "only once", "reflect": false}""";

        await broker.PublishAsync(worker.Names.Jobs, job, "duck.chat.v1", Ct);
        var first = await finished.WaitForAsync(_ => true, Patience, Ct);
        await broker.PublishAsync(worker.Names.Jobs, job, "duck.chat.v1", Ct);
        var all = await finished.WaitForCountAsync(_ => true, 2, Patience, Ct);

        Assert.Equal(first.Json.GetProperty("taskId").GetString(), all[1].Json.GetProperty("taskId").GetString());
        Assert.Single(worker.Ollama.Chats, c => c.Model == WorkerHarness.Thinker);
        Assert.Equal(AgentTaskStatus.Completed, (await worker.Tasks.FindByJobIdAsync("twice", Ct))!.Status);
    }
}
