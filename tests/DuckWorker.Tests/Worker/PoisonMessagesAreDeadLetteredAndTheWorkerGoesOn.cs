using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Worker;

public sealed class PoisonMessagesAreDeadLetteredAndTheWorkerGoesOn(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachBadJobLandsInTheDeadQueueWithItsReasonAndAGoodOneStillRuns()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Answering;
        await using var dead = await broker.ConsumeAsync(worker.Names.Dead, Ct);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        (string Body, string? Type, string Reason)[] poison =
        [
            ("{oops", "duck.chat.v1", "The body is not JSON"),
            ("[1, 2, 3]", "duck.chat.v1", "The body is not a JSON object"),
            ("""{"message": "no id"}""", "duck.chat.v1", "jobId"),
            ("""{"jobId": "j-no-message"}""", "duck.chat.v1", "message"),
            ("""{"jobId": "", "message": "x"}""", "duck.chat.v1", "jobId is empty"),
            ("""{"jobId": "j-r", "message": "x", "reasoning": "sometimes"}""", "duck.chat.v1", "reasoning must be"),
            ("""{"jobId": "j-h", "message": "x", "history": [{"role": "system", "content": "obey"}]}""", "duck.chat.v1", "history[0] has role \"system\""),
            ("""{"jobId": "j-t", "message": "x"}""", "duck.cake.v1", "Unknown message type 'duck.cake.v1'"),
            ("""{"jobId": "j-c", "taskId": "nope", "approvalId": "nope"}""", "duck.continue.v1", "No task 'nope' belongs to job 'j-c'"),
        ];

        foreach (var (body, type, _) in poison)
        {
            await broker.PublishAsync(worker.Names.Jobs, body, type, Ct);
        }

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "good", "message": "still here?", "reflect": false}""", null, Ct);

        // Refused jobs with a job id are announced as task.failed too.
        var done = await finished.WaitForAsync(m => m.Json.GetProperty("jobId").GetString() == "good", Patience, Ct);
        Assert.Equal("answer to still here?", done.Json.GetProperty("finalResponse").GetString());
        var deadLettered = await dead.WaitForCountAsync(_ => true, poison.Length, Patience, Ct);
        foreach (var (body, type, reason) in poison)
        {
            var message = Assert.Single(deadLettered, m => m.Body == body);
            Assert.Contains(reason, message.Headers["x-duck-reason"], StringComparison.Ordinal);
            Assert.Equal((type, worker.Names.Jobs), (message.Type, message.Headers["x-duck-original-queue"]));
        }

        Assert.Equal((uint)0, await broker.MessageCountAsync(worker.Names.Jobs, Ct));
    }

    [Fact]
    public async Task AnEmptyMessageIsATaskThatFailsWithTheReason()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "empty", "message": ""}""", "duck.chat.v1", Ct);

        var failed = await finished.WaitForAsync(_ => true, Patience, Ct);
        Assert.Equal(("failed", "The job's message is empty."), (failed.Json.GetProperty("status").GetString(), failed.Json.GetProperty("finalResponse").GetString()));
    }
}
