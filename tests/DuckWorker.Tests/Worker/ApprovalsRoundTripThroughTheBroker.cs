using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Worker;

public sealed class ApprovalsRoundTripThroughTheBroker(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Job(string jobId, string file) =>
        JsonSerializer.Serialize(new { jobId, message = $"please write {file}", workspace = "shared", reflect = false });

    private static string Decision(string approvalId, string decision, string? taskId = null) =>
        JsonSerializer.Serialize(new { approvalId, decision, decidedBy = "tester", taskId });

    [Theory]
    [InlineData("allow_once", true)]
    [InlineData("deny", false)]
    public async Task ADecisionResumesTheTaskThroughAContinuation(string decision, bool written)
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, Job("job-a", "a.txt"), "duck.chat.v1", Ct);
        var request = await approvals.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal(("duck.approval-requested.v1", "job-a"), (request.Type, request.CorrelationId));
        var body = request.Json;
        Assert.Equal(
            ["taskId", "jobId", "approvalId", "tool", "action", "reason", "riskLevel", "foreverScope"],
            body.EnumerateObject().Select(p => p.Name).Take(8));
        Assert.Equal("fs_write", body.GetProperty("tool").GetString());
        Assert.Equal("a.txt", body.GetProperty("action").GetProperty("args").GetProperty("path").GetString());
        Assert.Equal("the user asked", body.GetProperty("action").GetProperty("reason").GetString());
        Assert.Equal("medium", body.GetProperty("riskLevel").GetString());
        Assert.Contains("'a.txt'", body.GetProperty("foreverScope").GetString(), StringComparison.Ordinal);
        Assert.Contains("fs_write creates 'a.txt'", body.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Empty(finished.Received);

        await broker.PublishAsync(worker.Names.Decisions, Decision(body.GetProperty("approvalId").GetString()!, decision), "duck.approval-decision.v1", Ct);
        var done = await finished.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal("completed", done.Json.GetProperty("status").GetString());
        Assert.Equal(body.GetProperty("taskId").GetString(), done.Json.GetProperty("taskId").GetString());
        Assert.Equal(written, File.Exists(Path.Join(workspace, "a.txt")));
        var continued = (await worker.EventsAsync(done.Json.GetProperty("taskId").GetString()!)).Single(e => e.EventType == EventTypes.TaskContinued);
        Assert.Equal(decision, continued.Payload.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task AllowForeverLetsTheSameActionRunWithoutAskingAgain()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, Job("first", "same.txt"), "duck.chat.v1", Ct);
        var request = await approvals.WaitForAsync(_ => true, Patience, Ct);
        await broker.PublishAsync(worker.Names.Decisions, Decision(request.Json.GetProperty("approvalId").GetString()!, "allow_forever"), "duck.approval-decision.v1", Ct);
        await finished.WaitForAsync(m => m.CorrelationId == "first", Patience, Ct);
        File.Delete(Path.Join(workspace, "same.txt"));

        await broker.PublishAsync(worker.Names.Jobs, Job("second", "same.txt"), "duck.chat.v1", Ct);
        var second = await finished.WaitForAsync(m => m.CorrelationId == "second", Patience, Ct);

        Assert.Equal("completed", second.Json.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Join(workspace, "same.txt")));
        Assert.Single(approvals.Received);

        await broker.PublishAsync(worker.Names.Jobs, Job("third", "other.txt"), "duck.chat.v1", Ct);
        var third = await approvals.WaitForAsync(m => m.CorrelationId == "third", Patience, Ct);
        Assert.Equal("other.txt", third.Json.GetProperty("action").GetProperty("args").GetProperty("path").GetString());
    }

    [Fact]
    public async Task BadDecisionsAreDeadLetteredWithTheReasonAndTheFirstDecisionStands()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await using var dead = await broker.ConsumeAsync(worker.Names.Dead, Ct);
        await broker.PublishAsync(worker.Names.Jobs, Job("job-b", "b.txt"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var approvalId = request.GetProperty("approvalId").GetString()!;
        var taskId = request.GetProperty("taskId").GetString()!;

        await broker.PublishAsync(worker.Names.Decisions, Decision("no-such-approval", "allow_once"), "duck.approval-decision.v1", Ct);
        await broker.PublishAsync(worker.Names.Decisions, Decision(approvalId, "allow_once", taskId: "someone-elses-task"), "duck.approval-decision.v1", Ct);
        await broker.PublishAsync(worker.Names.Decisions, Decision(approvalId, "maybe"), "duck.approval-decision.v1", Ct);
        await broker.PublishAsync(worker.Names.Decisions, Decision(approvalId, "deny"), "duck.approval-decision.v1", Ct);
        await finished.WaitForAsync(_ => true, Patience, Ct);
        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "allow_forever", decidedBy = "mallory" }), "duck.approval-decision.v1", Ct);

        var reasons = (await dead.WaitForCountAsync(_ => true, 4, Patience, Ct)).Select(m => m.Headers["x-duck-reason"]).ToList();
        Assert.Contains(reasons, r => r.Contains("No approval has id 'no-such-approval'", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("not to task 'someone-elses-task'", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("decision must be \"allow_once\", \"allow_forever\" or \"deny\"", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("was already decided: deny by tester", StringComparison.Ordinal));
        Assert.All(dead.Received, m => Assert.Equal(worker.Names.Decisions, m.Headers["x-duck-original-queue"]));
        Assert.Equal("deny", (await worker.Approvals.GetAsync(approvalId, Ct))!.Decision is { } d ? DuckWorker.Runtime.Json.WireName.Of(d) : null);
        var rejected = (await worker.EventsAsync(taskId)).Where(e => e.EventType == EventTypes.ApprovalDecisionRejected).ToList();
        Assert.Equal(2, rejected.Count);
        Assert.Equal("mallory", rejected[^1].Payload.GetProperty("decided_by").GetString());
        Assert.Single(finished.Received);
    }
}
