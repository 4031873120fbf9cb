using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// RabbitMQ closes the channel of a consumer that holds a delivery longer than its <c>consumer_timeout</c>
/// and delivers the message again. The test lowers the node's timeout for new channels (RabbitMQ 3.10 reads it
/// only from the node's configuration), so it runs alone and puts the setting back.
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
            Assert.Skip($"The broker's consumer_timeout cannot be lowered: {BrokerFixture.CtlVariable} names no rabbitmqctl for it (.ci/start-rabbitmq writes one).");
        }

        var timeout = await broker.EvalAsync("application:get_env(rabbit, consumer_timeout).", Ct);
        var tick = await broker.EvalAsync("application:get_env(rabbit, channel_tick_interval).", Ct);
        await broker.EvalAsync("application:set_env(rabbit, consumer_timeout, 1000), application:set_env(rabbit, channel_tick_interval, 200).", Ct);
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
        using var redelivered = new SemaphoreSlim(0);
        using var metering = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "duck.jobs.redelivered")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metering.SetMeasurementEventCallback<long>((_, _, _, _) => redelivered.Release());
        metering.Start();
        await using var worker = await WorkerHarness.RunAsync(broker);
        var held = 0;
        worker.Ollama.Fallback = chat =>
        {
            // The first answer of the job waits until the broker has taken the job back and delivered it again.
            if (chat.Messages.Any(m => m.Content.Contains("slow.txt", StringComparison.Ordinal)) && Interlocked.Exchange(ref held, 1) == 0)
            {
                Assert.True(redelivered.Wait(Patience), "the broker did not deliver the job again within its consumer_timeout");
            }

            return Replies.Writing(chat);
        };
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "slow", "message": "please write slow.txt", "reflect": false}""", "duck.chat.v1", Ct);

        var done = await finished.WaitForAsync(m => m.Json.GetProperty("jobId").GetString() == "slow", Patience, Ct);
        Assert.Equal("completed", done.Json.GetProperty("status").GetString());
        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "next", "message": "still serving?", "reflect": false}""", "duck.chat.v1", Ct);
        var next = await finished.WaitForAsync(m => m.Json.GetProperty("jobId").GetString() == "next", Patience, Ct);

        Assert.Equal("answer to still serving?", next.Json.GetProperty("finalResponse").GetString());
        Assert.Single(finished.Received, m => m.Json.GetProperty("jobId").GetString() == "slow");
        var task = (await worker.Tasks.FindByJobIdAsync("slow", Ct))!;
        Assert.Equal((AgentTaskStatus.Completed, 1), (task.Status, task.Attempts));
        var types = await worker.EventTypesAsync(task.TaskId);
        Assert.Single(types, t => t == EventTypes.TaskCreated);
        Assert.Single(types, t => t == EventTypes.ToolCallStarted);
        Assert.Single(types, t => t == EventTypes.TaskCompleted);
        Assert.Equal("written by duck", await File.ReadAllTextAsync(Path.Join(task.Workspace, "slow.txt"), Ct));
        Assert.Equal((uint)0, await broker.MessageCountAsync(worker.Names.Jobs, Ct));
    }

    private static string Restore(string key, string previous) => OkValue().Match(previous) is { Success: true } value
        ? $"application:set_env(rabbit, {key}, {value.Groups[1].Value})"
        : $"application:unset_env(rabbit, {key})";

    [GeneratedRegex(@"^\{ok,(\d+)\}$")]
    private static partial Regex OkValue();
}
