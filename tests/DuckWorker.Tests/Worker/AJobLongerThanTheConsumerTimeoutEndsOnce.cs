using System.Text.RegularExpressions;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// RabbitMQ closes the channel of a consumer that holds a delivery longer than its <c>consumer_timeout</c>
/// and delivers the message again. RabbitMQ 3.10 reads the timeout only from the node's configuration, when a
/// channel opens, so the test lowers it on the node for the worker it starts, runs alone, and puts it back.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed partial class AJobLongerThanTheConsumerTimeoutEndsOnce(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheBrokerTakesTheJobBackMidRunYetItsTaskRunsItsToolOnceEndsOnceAndTheWorkerGoesOnServing()
    {
        broker.SkipIfUnavailable();
        if (!broker.CanEval)
        {
            Assert.Skip($"The broker's consumer_timeout cannot be lowered: {BrokerFixture.CtlVariable} names no rabbitmqctl for it (.ci/run sets it).");
        }

        var timeout = await broker.EvalAsync("application:get_env(rabbit, consumer_timeout).", Ct);
        var tick = await broker.EvalAsync("application:get_env(rabbit, channel_tick_interval).", Ct);
        await broker.EvalAsync("application:set_env(rabbit, consumer_timeout, 5000), application:set_env(rabbit, channel_tick_interval, 500).", Ct);
        try
        {
            await RunPastTheTimeoutAsync();
        }
        finally
        {
            await broker.EvalAsync($"{Restore("consumer_timeout", timeout)}, {Restore("channel_tick_interval", tick)}.", CancellationToken.None);
        }
    }

    private async Task RunPastTheTimeoutAsync()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        var slowed = 0;
        worker.Ollama.Fallback = chat =>
        {
            var reply = Replies.Answering(chat);
            if (chat.Model == WorkerHarness.Action && chat.Messages.Any(m => m.Content.Contains("take your time", StringComparison.Ordinal)))
            {
                // The action model thinks for three consumer timeouts once, then lists the workspace.
                return Interlocked.Exchange(ref slowed, 1) == 0
                    ? OllamaReply.Actions(new { tool = "fs_list", args = new { path = "." }, reason = "look around" }) with { Delay = TimeSpan.FromSeconds(9) }
                    : reply;
            }

            return reply;
        };
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "slow", "message": "take your time", "reflect": false}""", "duck.chat.v1", Ct);
        await Task.Delay(TimeSpan.FromSeconds(6), Ct);
        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "meanwhile", "message": "still serving?", "reflect": false}""", "duck.chat.v1", Ct);

        var meanwhile = await finished.WaitForAsync(m => m.Json.GetProperty("jobId").GetString() == "meanwhile", Patience, Ct);
        var slow = await finished.WaitForAsync(m => m.Json.GetProperty("jobId").GetString() == "slow", Patience, Ct);
        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "after", "message": "and after?", "reflect": false}""", "duck.chat.v1", Ct);
        var after = await finished.WaitForAsync(m => m.Json.GetProperty("jobId").GetString() == "after", Patience, Ct);

        Assert.Equal("answer to still serving?", meanwhile.Json.GetProperty("finalResponse").GetString());
        Assert.Equal("answer to take your time", slow.Json.GetProperty("finalResponse").GetString());
        Assert.Equal("answer to and after?", after.Json.GetProperty("finalResponse").GetString());
        var task = (await worker.Tasks.FindByJobIdAsync("slow", Ct))!;
        Assert.Equal(AgentTaskStatus.Completed, task.Status);
        var types = await worker.EventTypesAsync(task.TaskId);
        Assert.Single(types, t => t == EventTypes.TaskCreated);
        Assert.Single(types, t => t == EventTypes.ToolCallStarted);
        Assert.Single(types, t => t == EventTypes.TaskCompleted);
        Assert.Single(worker.Ollama.Chats, c => c.Model == WorkerHarness.Thinker && c.Messages.Any(m => m.Content.Contains("take your time", StringComparison.Ordinal)));
        Assert.Equal(0u, await broker.MessageCountAsync(worker.Names.Jobs, Ct));
    }

    private static string Restore(string key, string previous) => OkValue().Match(previous) is { Success: true } value
        ? $"application:set_env(rabbit, {key}, {value.Groups[1].Value})"
        : $"application:unset_env(rabbit, {key})";

    [GeneratedRegex(@"^\{ok,(\d+)\}$")]
    private static partial Regex OkValue();
}
