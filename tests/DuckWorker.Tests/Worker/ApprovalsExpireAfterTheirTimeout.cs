using System.Text.Json;
using DuckWorker.Approvals;
using DuckWorker.Hosting;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace DuckWorker.Tests.Worker;

/// <summary><c>Approvals:Timeout</c>: an approval nobody decides in time ends its task, with the reason.</summary>
public sealed class ApprovalsExpireAfterTheirTimeout(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Job(string jobId) => JsonSerializer.Serialize(new { jobId, message = "please write a.txt", workspace = "shared", reflect = false });

    [Fact]
    public async Task TheSweeperExpiresOnlyApprovalsOlderThanTheTimeout()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await broker.PublishAsync(worker.Names.Jobs, Job("job-expiring"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var taskId = request.GetProperty("taskId").GetString()!;
        var approvalId = request.GetProperty("approvalId").GetString()!;
        var store = worker.Services.GetRequiredService<IApprovalStore>();
        var time = new FakeTimeProvider((await store.GetAsync(approvalId, Ct))!.CreatedAt);
        var sweeper = new ApprovalExpirySweeper(
            store,
            worker.Loop,
            worker.Services.GetRequiredService<TaskAnnouncer>(),
            Options.Create(new ApprovalsOptions { Timeout = TimeSpan.FromMinutes(30) }),
            Options.Create(new WorkerOptions()),
            time,
            NullLogger<ApprovalExpirySweeper>.Instance);
        await WaitingAsync(worker, taskId);

        var atOnce = await sweeper.SweepAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(29));
        var before = await sweeper.SweepAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(2));
        var after = await sweeper.SweepAsync(Ct);
        var again = await sweeper.SweepAsync(Ct);
        var done = await finished.WaitForAsync(m => m.CorrelationId == "job-expiring", Patience, Ct);

        Assert.Equal((0, 0, 1, 0), (atOnce, before, after, again));
        var reason = $"approval {approvalId} (fs_write) expired after 00:30:00 without a decision";
        Assert.Equal(("failed", reason), (done.Json.GetProperty("status").GetString(), done.Json.GetProperty("finalResponse").GetString()));
        var events = await worker.EventsAsync(taskId);
        Assert.Equal([EventTypes.ApprovalExpired, EventTypes.TaskFailed], events.Select(e => e.EventType).TakeLast(2));
        var expired = events[^2].Payload;
        Assert.Equal((approvalId, "fs_write", 1800d), (expired.GetProperty("approval_id").GetString(), expired.GetProperty("tool").GetString(), expired.GetProperty("timeout_seconds").GetDouble()));
        Assert.Equal(reason, (await store.GetAsync(approvalId, Ct))!.ClosedReason);
    }

    [Fact]
    public async Task AnUndecidedApprovalExpiresInTheRunningWorkerAndALateDecisionIsDeadLettered()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Approvals:Timeout"] = "00:00:01" });
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await using var dead = await broker.ConsumeAsync(worker.Names.Dead, Ct);

        await broker.PublishAsync(worker.Names.Jobs, Job("job-late"), "duck.chat.v1", Ct);
        var approvalId = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json.GetProperty("approvalId").GetString()!;
        var done = await finished.WaitForAsync(m => m.CorrelationId == "job-late", Patience, Ct);
        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "late approver" }),
            "duck.approval-decision.v1",
            Ct);
        var letter = await dead.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal("failed", done.Json.GetProperty("status").GetString());
        Assert.Contains("expired after 00:00:01", done.Json.GetProperty("finalResponse").GetString(), StringComparison.Ordinal);
        Assert.Contains($"Approval '{approvalId}' is closed: approval {approvalId} (fs_write) expired", letter.Headers["x-duck-reason"], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(workspace, "a.txt")));
        Assert.Contains(EventTypes.ApprovalDecisionRejected, await worker.EventTypesAsync(done.Json.GetProperty("taskId").GetString()!));
    }

    [Fact]
    public async Task AnApprovalThatExpiredBeforeItsTaskWaitedEndsTheTaskWhenItWould()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        var waiting = await worker.RunAsync("please write a.txt", workspace: "shared", reflect: false);
        var approval = (await worker.Services.GetRequiredService<IApprovalStore>().FindPendingAsync(waiting.TaskId, Ct))!;

        // As a run finds it after recording its pause, and before moving the task to wait.
        var task = (await worker.Tasks.GetAsync(waiting.TaskId, Ct))!;
        Assert.True(await worker.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Running }, AgentTaskStatus.WaitingForApproval, Ct));
        var expired = await worker.Loop.ExpireApprovalAsync(approval, TimeSpan.FromMinutes(5), Ct);
        var result = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(task.TaskId, Ct))!, Ct);

        Assert.Null(expired);
        Assert.Equal(AgentTaskStatus.Failed, result.Status);
        Assert.Equal($"approval {approval.ApprovalId} (fs_write) expired after 00:05:00 without a decision", result.FinalResponse);
        var types = await worker.EventTypesAsync(task.TaskId);
        Assert.Equal(EventTypes.TaskFailed, types[^1]);
        Assert.Single(types, EventTypes.ApprovalExpired);
        Assert.False(File.Exists(Path.Join(worker.WorkspaceRoot, "shared", "a.txt")));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:05:00")]
    public async Task ATimeoutBelowOneSecondFailsAtStartNamingTheKey(string timeout)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Approvals:Timeout"] = timeout }));

        Assert.Contains("Approvals:Timeout must be at least 00:00:01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutATimeoutApprovalsWaitAsLongAsItTakes()
    {
        await using var worker = await WorkerHarness.StartAsync();

        Assert.Null(worker.Option<ApprovalsOptions>().Timeout);
        Assert.Equal(0, await worker.Services.GetRequiredService<ApprovalExpirySweeper>().SweepAsync(Ct));
    }

    private static async Task WaitingAsync(WorkerHarness worker, string taskId)
    {
        for (var i = 0; i < 300 && (await worker.Tasks.GetAsync(taskId, Ct))?.Status != AgentTaskStatus.WaitingForApproval; i++)
        {
            await Task.Delay(100, Ct);
        }
    }
}
