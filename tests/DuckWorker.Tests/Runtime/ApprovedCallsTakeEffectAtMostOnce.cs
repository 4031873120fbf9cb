using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Runtime;

public sealed class ApprovedCallsTakeEffectAtMostOnce
{
    private const string Counted = "echo ran >> runs.txt && sleep 30";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OllamaReply Shell(string command) =>
        OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command }, reason = "count" });

    private static async Task<(ChatResult Paused, string ApprovalId)> PauseAsync(WorkerHarness worker, string workspace, OllamaReply action)
    {
        worker.Ollama.Script(WorkerHarness.Action, action);
        var paused = await worker.RunAsync("do it", workspace: workspace, reflect: false);
        Assert.Equal(AgentTaskStatus.WaitingForApproval, paused.Status);
        var requested = (await worker.EventsAsync(paused.TaskId)).Single(e => e.EventType == EventTypes.ToolApprovalRequested);
        return (paused, requested.Payload.GetProperty("approval_id").GetString()!);
    }

    [Fact]
    public async Task AnApprovedCommandCutOffWhileItRunsIsReportedInterruptedAndNeitherRunNorAwaitedAgain()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("cut");
        var (paused, approvalId) = await PauseAsync(worker, "cut", Shell(Counted));
        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowOnce, "tester", null, Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var continuing = worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, stop.Token);
        while (!File.Exists(Path.Join(workspace, "runs.txt")))
        {
            await Task.Delay(20, Ct);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => continuing);
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("The count may have been written."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);
        var cut = (await worker.Tasks.GetAsync(paused.TaskId, Ct))!;
        Assert.Equal(AgentTaskStatus.Running, cut.Status);

        var resumed = await worker.Loop.RunAsync(cut, Ct);

        Assert.Equal((AgentTaskStatus.Completed, "The count may have been written."), (resumed.Status, resumed.FinalResponse));
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(Path.Join(workspace, "runs.txt"), Ct));
        var events = await worker.EventsAsync(paused.TaskId);
        Assert.Single(events, e => e.EventType == EventTypes.TaskWaitingForApproval);
        Assert.Single(events, e => e.EventType == EventTypes.TaskContinued);
        var intent = events.Last(e => e.EventType == EventTypes.ToolCallStarted).Payload;
        Assert.Equal(approvalId, intent.GetProperty("approval_id").GetString());
        var interrupted = events.Single(e => e.EventType == EventTypes.ToolCallFinished).Payload;
        Assert.Equal(intent.GetProperty("index").GetInt32(), interrupted.GetProperty("index").GetInt32());
        Assert.True(interrupted.GetProperty("result").GetProperty("metadata").GetProperty("interrupted").GetBoolean());
        var prompt = worker.Ollama.Chats.Last(c => c.Model == WorkerHarness.Action).Messages[^1].Content;
        Assert.Contains("may or may not have taken effect; it was not run again", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResumeAfterAnInterruptedCallRecordsItOnceAndAResumeAfterThatSeesItFinished()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Ollama:MaxRetries"] = "0" });
        var workspace = worker.Workspace("twice");
        var (paused, approvalId) = await PauseAsync(worker, "twice", Shell(Counted));
        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowOnce, "tester", null, Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var continuing = worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, stop.Token);
        while (!File.Exists(Path.Join(workspace, "runs.txt")))
        {
            await Task.Delay(20, Ct);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => continuing);
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Error(503), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("done"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var cut = (await worker.Tasks.GetAsync(paused.TaskId, Ct))!;
        await Assert.ThrowsAsync<DuckWorker.Runtime.Models.ModelUnavailableException>(() => worker.Loop.RunAsync(cut, Ct));
        var resumed = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(paused.TaskId, Ct))!, Ct);

        Assert.Equal(AgentTaskStatus.Completed, resumed.Status);
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(Path.Join(workspace, "runs.txt"), Ct));
        Assert.Single(await worker.EventsAsync(paused.TaskId), e => e.EventType == EventTypes.ToolCallFinished);
    }

    [Fact]
    public async Task ADecisionMadeBeforeTheTaskWasRecordedAsWaitingIsAppliedWhenItWaits()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("early");
        var (paused, approvalId) = await PauseAsync(worker, "early", OllamaReply.Actions(new { tool = "fs_write", args = new { path = "x.txt", content = "x" }, reason = "write" }));
        var task = (await worker.Tasks.GetAsync(paused.TaskId, Ct))!;

        // The run that asked stopped between recording its pause and moving the task: the task still runs when
        // the decision comes, so no continuation is sent for it.
        Assert.True(await worker.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Running }, AgentTaskStatus.WaitingForApproval, Ct));
        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowOnce, "tester", null, Ct);
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("written"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(paused.TaskId, Ct))!, Ct);

        Assert.Equal((AgentTaskStatus.Completed, "written"), (result.Status, result.FinalResponse));
        Assert.Equal("x", await File.ReadAllTextAsync(Path.Join(workspace, "x.txt"), Ct));
        Assert.Single(await worker.EventsAsync(paused.TaskId), e => e.EventType == EventTypes.TaskContinued);
    }

    [Fact]
    public async Task ATaskWaitingForAnApprovalAlreadyDecidedGoesOnWhenItIsRun()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("lost");
        var (paused, approvalId) = await PauseAsync(worker, "lost", OllamaReply.Actions(new { tool = "fs_write", args = new { path = "x.txt", content = "x" }, reason = "write" }));
        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowOnce, "tester", null, Ct);
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("written"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(paused.TaskId, Ct))!, Ct);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.Equal("x", await File.ReadAllTextAsync(Path.Join(workspace, "x.txt"), Ct));
    }

    [Fact]
    public async Task APauseForApprovalStartsTheNextStepWithAFreshAttemptBudget()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("budget");
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "j", Message = "write", Workspace = "budget", Reflect = false }, Ct);
        var now = DateTimeOffset.UtcNow;
        await worker.Tasks.TryAcquireLeaseAsync(task.TaskId, "first", now.AddMinutes(1), now, Ct);
        var leased = (await worker.Tasks.TryAcquireLeaseAsync(task.TaskId, "second", now.AddMinutes(3), now.AddMinutes(2), Ct))!;
        worker.Ollama.Script(WorkerHarness.Action, OllamaReply.Actions(new { tool = "fs_write", args = new { path = "x.txt", content = "x" }, reason = "write" }));

        var paused = await worker.Loop.RunAsync(leased, Ct);

        Assert.Equal((AgentTaskStatus.WaitingForApproval, 2), (paused.Status, leased.Attempts));
        Assert.Equal(0, (await worker.Tasks.GetAsync(task.TaskId, Ct))!.Attempts);
    }
}
