using System.Text.Json;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// What <c>RabbitMq:AnnounceEvents</c> sends on <c>duck.events</c>, read from one queue bound to the task events and
/// the outcomes: a queue keeps the order of the worker's one publishing channel, so what arrives before the outcome
/// is everything announced before it.
/// </summary>
public sealed class AnnouncementsKeepTheirOrderAndTheirScope(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, AnnouncedEvents.All)]
    [InlineData("all", AnnouncedEvents.All)]
    [InlineData("Lifecycle", AnnouncedEvents.Lifecycle)]
    [InlineData("none", AnnouncedEvents.None)]
    public async Task TheTaskEventsOfTheScopeArriveInSeqOrderBeforeTheOutcome(string? setting, AnnouncedEvents announced)
    {
        await using var worker = await WorkerHarness.RunAsync(broker, setting is null ? null : new Dictionary<string, string?> { ["RabbitMq:AnnounceEvents"] = setting });
        worker.Ollama.Fallback = Replies.Running;
        await using var inbox = await broker.InboxAsync(worker.Names.Events, Ct, "task.event.*", "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "ordered", "message": "run ls", "reflect": true}""", "duck.chat.v1", Ct);
        var outcome = await inbox.WaitForAsync(m => m.RoutingKey == "task.completed", Patience, Ct);

        var taskId = outcome.Json.GetProperty("taskId").GetString()!;
        var stored = await worker.EventsAsync(taskId);
        var expected = stored.Where(e => announced.IsAnnounced(e.EventType)).Select(e => $"task.event.{e.EventType} {e.Seq}");
        var arrived = inbox.Received.TakeWhile(m => !ReferenceEquals(m, outcome)).Select(m => $"{m.RoutingKey} {m.Json.GetProperty("seq").GetInt64()}");
        Assert.Equal(expected, arrived);
        Assert.Contains(stored, e => e.EventType == "tool_call_finished");
        Assert.Contains(stored, e => e.EventType == "reflection_completed");
    }

    [Fact]
    public async Task WithLifecycleOnlyAnApprovalsRequestAndItsEventsAreAnnouncedAndNothingOfItIsLost()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["RabbitMq:AnnounceEvents"] = "lifecycle" });
        worker.Ollama.Fallback = Replies.Writing;
        await using var inbox = await broker.InboxAsync(worker.Names.Events, Ct, "task.event.*", "approval.requested", "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, JsonSerializer.Serialize(new { jobId = "asks", message = "please write a.txt", reflect = false }), "duck.chat.v1", Ct);
        var request = await inbox.WaitForAsync(m => m.RoutingKey == "approval.requested", Patience, Ct);
        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId = request.Json.GetProperty("approvalId").GetString(), decision = "allow_once", decidedBy = "tester" }),
            "duck.approval-decision.v1",
            Ct);
        var outcome = await inbox.WaitForAsync(m => m.RoutingKey == "task.completed", Patience, Ct);

        var stored = await worker.EventsAsync(outcome.Json.GetProperty("taskId").GetString()!);
        var arrived = inbox.Received.TakeWhile(m => !ReferenceEquals(m, outcome)).Where(m => m.RoutingKey.StartsWith("task.event.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            stored.Where(e => LifecycleEvents.IsAnnounced(AnnouncedEvents.Lifecycle, e.EventType)).Select(e => e.Seq),
            arrived.Select(m => m.Json.GetProperty("seq").GetInt64()));
        Assert.Equal(
            ["task.event.tool_approval_requested", "task.event.task_waiting_for_approval"],
            inbox.Received.TakeWhile(m => !ReferenceEquals(m, request)).Select(m => m.RoutingKey).TakeLast(2));
        Assert.Contains(arrived, m => m.RoutingKey == "task.event.task_continued");
        Assert.DoesNotContain(arrived, m => m.RoutingKey == "task.event.model_call_started");
    }
}
