using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

/// <summary>Alone, so that the counters it reads count only its own job.</summary>
[Collection(nameof(RunsAlone))]
public sealed class OneJobIsTracedAndMeasured(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AJobIsASpanWithItsModelCallsAndToolCallsInsideAndItsCountsAreMeasured()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DuckTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(tracing);
        var measured = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var metering = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DuckTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        metering.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measured.Enqueue((instrument.Name, value, Tags(tags))));
        metering.SetMeasurementEventCallback<int>((instrument, value, tags, _) => measured.Enqueue((instrument.Name, value, Tags(tags))));
        metering.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measured.Enqueue((instrument.Name, value, Tags(tags))));
        metering.Start();

        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions(new { tool = "fs_list", args = new { path = "." }, reason = "look" }), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("nothing there"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed");
        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "traced", "message": "what is here?", "reflect": false}""", "duck.chat.v1", Ct);
        await finished.WaitForAsync(_ => true, TimeSpan.FromSeconds(30), Ct);
        await Task.Delay(200, Ct);

        var job = Assert.Single(spans, s => s.OperationName == "duck.job");
        Assert.Equal("traced", job.GetTagItem("duck.job.id"));
        Assert.Equal("completed", job.GetTagItem("duck.task.status"));
        var inside = spans.Where(s => s.ParentSpanId == job.SpanId).ToList();
        var chats = inside.Where(s => s.GetTagItem("gen_ai.operation.name") as string == "chat").ToList();
        Assert.Equal(4, chats.Count);
        var thinker = Assert.Single(chats, s => s.GetTagItem("gen_ai.request.model") as string == WorkerHarness.Thinker);
        Assert.Equal(11, Convert.ToInt32(thinker.GetTagItem("gen_ai.usage.input_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(7, Convert.ToInt32(thinker.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture));
        var tool = Assert.Single(inside, s => s.OperationName == "execute_tool fs_list");
        Assert.Equal(("fs_list", "run", true), (tool.GetTagItem("gen_ai.tool.name"), tool.GetTagItem("duck.tool.decision"), tool.GetTagItem("duck.tool.ok")));

        double Sum(string name) => measured.Where(m => m.Name == name).Sum(m => m.Value);
        Assert.Equal(1, Sum("duck.jobs.started"));
        Assert.Equal(1, Sum("duck.jobs.completed"));
        Assert.Equal(0, Sum("duck.jobs.failed"));
        Assert.Single(measured, m => m.Name == "duck.job.duration");
        var toolCall = Assert.Single(measured, m => m.Name == "duck.tool.calls");
        Assert.Equal(("fs_list", "run"), (toolCall.Tags["gen_ai.tool.name"], toolCall.Tags["duck.tool.decision"]));
        Assert.Equal(4, measured.Count(m => m.Name == "duck.model.duration"));
        Assert.Equal(11, measured.Single(m => m.Name == "duck.model.tokens" && Equals(m.Tags["duck.model.role"], "thinker") && Equals(m.Tags["gen_ai.token.type"], "input")).Value);
        Assert.Contains(measured, m => m.Name == "gen_ai.client.token.usage");
    }

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var all = new Dictionary<string, object?>();
        foreach (var (key, value) in tags)
        {
            all[key] = value;
        }

        return all;
    }
}
