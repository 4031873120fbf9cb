using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

public sealed class DecidedApprovalsAreNeverLost(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly Dictionary<string, string?> ShortLeases = new()
    {
        ["Worker:LeaseDuration"] = "00:00:02",
        ["Worker:SweepInterval"] = "00:00:00.200",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Job(string jobId, string file) =>
        JsonSerializer.Serialize(new { jobId, message = $"please write {file}", workspace = "shared", reflect = false });

    private static string Decision(string approvalId) =>
        JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "tester" });

    /// <summary>Takes the task's lease as a run that then dies would hold it, once the run that asked let it go.</summary>
    private static async Task HoldAsDeadRunAsync(WorkerHarness worker, string taskId)
    {
        var now = DateTimeOffset.UtcNow;
        while (await worker.Tasks.TryAcquireLeaseAsync(taskId, "dead-run", now.AddSeconds(2), now, Ct) is null)
        {
            await Task.Delay(20, Ct);
            now = DateTimeOffset.UtcNow;
        }
    }

    [Fact]
    public async Task ADecisionForAWorkerThatDiedRightAfterAskingResumesTheTaskOnceItsLeaseExpires()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, ShortLeases);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await broker.PublishAsync(worker.Names.Jobs, Job("died-after-asking", "a.txt"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var taskId = request.GetProperty("taskId").GetString()!;
        await HoldAsDeadRunAsync(worker, taskId);

        // The continuation this decision sends finds the lease held by the dead run.
        await broker.PublishAsync(worker.Names.Decisions, Decision(request.GetProperty("approvalId").GetString()!), "duck.approval-decision.v1", Ct);
        var done = await finished.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal(("completed", taskId), (done.Json.GetProperty("status").GetString(), done.Json.GetProperty("taskId").GetString()));
        Assert.Equal("written by duck", await File.ReadAllTextAsync(Path.Join(workspace, "a.txt"), Ct));
        Assert.Single(await worker.EventsAsync(taskId), e => e.EventType == EventTypes.TaskContinued);
    }

    [Fact]
    public async Task ADecisionThatComesWhileTheTaskStillRunsIsAppliedWhenTheTaskWaits()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, ShortLeases);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await broker.PublishAsync(worker.Names.Jobs, Job("decided-early", "b.txt"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var taskId = request.GetProperty("taskId").GetString()!;
        await HoldAsDeadRunAsync(worker, taskId);

        // As if the run died after recording its pause and before moving the task: the task still runs, so the
        // decision sends no continuation; the run that resumes it finishes the move and finds the decision.
        var task = (await worker.Tasks.GetAsync(taskId, Ct))!;
        Assert.True(await worker.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Running }, AgentTaskStatus.WaitingForApproval, Ct));
        await broker.PublishAsync(worker.Names.Decisions, Decision(request.GetProperty("approvalId").GetString()!), "duck.approval-decision.v1", Ct);
        var done = await finished.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal("completed", done.Json.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Join(workspace, "b.txt")));
        Assert.Single(approvals.Received);
    }

    [Fact]
    public async Task TheSweeperResumesATaskWhoseDecisionSentNoContinuation()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, ShortLeases);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await broker.PublishAsync(worker.Names.Jobs, Job("lost-continuation", "c.txt"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;

        await worker.Approvals.DecideAsync(request.GetProperty("approvalId").GetString()!, ApprovalDecision.AllowOnce, "tester", null, Ct);
        var done = await finished.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal("completed", done.Json.GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Join(workspace, "c.txt")));
    }

    [Fact]
    public async Task ATaskNeedingFiveApprovalsInARowCompletesWithThreeAttempts()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Worker:MaxAttempts"] = "3" });
        var workspace = worker.Workspace("shared");
        worker.Ollama.Fallback = chat =>
        {
            var written = Directory.GetFiles(workspace).Length;
            return chat.Model == WorkerHarness.Action && written < 5
                ? OllamaReply.Actions(new { tool = "fs_write", args = new { path = $"step-{written + 1}.txt", content = "step" }, reason = "the next step" })
                : Replies.Answering(chat);
        };
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await broker.PublishAsync(worker.Names.Jobs, JsonSerializer.Serialize(new { jobId = "five", message = "write five steps", workspace = "shared", reflect = false }), "duck.chat.v1", Ct);

        for (var asked = 1; asked <= 5; asked++)
        {
            var request = await approvals.WaitForCountAsync(_ => true, asked, Patience, Ct);
            await broker.PublishAsync(worker.Names.Decisions, Decision(request[^1].Json.GetProperty("approvalId").GetString()!), "duck.approval-decision.v1", Ct);
        }

        var done = await finished.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal("completed", done.Json.GetProperty("status").GetString());
        Assert.Equal(5, Directory.GetFiles(workspace).Length);
        Assert.Equal(5, approvals.Received.Count);
    }
}
