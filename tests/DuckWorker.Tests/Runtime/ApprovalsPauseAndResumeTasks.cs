using DuckWorker.Runtime.Approvals;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;
using static DuckWorker.Tests.EventKinds;

namespace DuckWorker.Tests.Runtime;

public sealed class ApprovalsPauseAndResumeTasks
{
    private static OllamaReply Write(string path, string content) =>
        OllamaReply.Actions(new { tool = "fs_write", args = new { path, content }, reason = "write it" });

    private static async Task<(ChatResult Paused, string ApprovalId)> PauseAsync(WorkerHarness worker, string workspace, string path)
    {
        worker.Ollama.Script(WorkerHarness.Action, Write(path, "content"));
        var paused = await worker.RunAsync($"write {path}", workspace: workspace);
        Assert.Equal(AgentTaskStatus.WaitingForApproval, paused.Status);
        var requested = (await worker.EventsAsync(paused.TaskId)).Single(e => e.EventType == EventTypes.ToolApprovalRequested);
        return (paused, requested.Payload.GetProperty("approval_id").GetString()!);
    }

    [Fact]
    public async Task ADeniedActionIsNotRunAndTheThinkerAnswersAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("deny");
        var (paused, approvalId) = await PauseAsync(worker, "deny", "x.txt");
        worker.Ollama
            .Script(WorkerHarness.Thinker, OllamaReply.Text("I was not allowed to write x.txt."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember)
            .Script(WorkerHarness.Critic, Replies.Reflected);

        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.Deny, "tester", null, ct);
        var result = await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, ct);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.False(File.Exists(Path.Join(workspace, "x.txt")));
        Assert.Single(worker.Ollama.Chats, c => c.Model == WorkerHarness.Action);
        var events = await worker.EventsAsync(paused.TaskId);
        Assert.Equal(
            [
                EventTypes.TaskContinued, EventTypes.ToolCallFinished, EventTypes.ModelCallStarted, ThinkerCall, EventTypes.CognitionResponse,
                EventTypes.TaskCompleted, MemoryCall, EventTypes.MemoryPolicyDecision, CriticCall, EventTypes.ReflectionCompleted,
            ],
            events.SkipWhile(e => e.EventType != EventTypes.TaskContinued).Select(Kind));
        var denied = events.Single(e => e.EventType == EventTypes.ToolCallFinished).Payload.GetProperty("result");
        Assert.False(denied.GetProperty("ok").GetBoolean());
        Assert.Equal("Tool action denied by user.", denied.GetProperty("error").GetString());
        Assert.Equal("deny", denied.GetProperty("metadata").GetProperty("decision").GetString());
        Assert.Contains("denied_by_user", worker.Ollama.Chats.Single(c => c.Model == WorkerHarness.Thinker).Messages[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowForeverCoversTheSameActionInTheSameWorkspaceAndNothingElse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("home");
        worker.Workspace("elsewhere");
        worker.Ollama.Fallback = chat => chat.Model switch
        {
            WorkerHarness.Thinker => OllamaReply.Text("done"),
            WorkerHarness.Memory => Replies.NothingToRemember,
            WorkerHarness.Critic => Replies.Reflected,
            _ => OllamaReply.Actions(),
        };
        var (paused, approvalId) = await PauseAsync(worker, "home", "notes/todo.txt");

        var decided = await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowForever, "tester", null, ct);
        var approval = decided.Approval!;
        Assert.Contains("notes/todo.txt", approval.ForeverScope, StringComparison.Ordinal);
        Assert.Contains(Path.Join(worker.WorkspaceRoot, "home"), approval.ForeverScope, StringComparison.Ordinal);
        Assert.Equal(AgentTaskStatus.Completed, (await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, ct)).Status);

        worker.Ollama.Script(WorkerHarness.Action, Write("./notes/../notes/todo.txt", "again"));
        var again = await worker.RunAsync("write it again", workspace: "home");
        Assert.Equal(AgentTaskStatus.Completed, again.Status);
        Assert.Equal("again", await File.ReadAllTextAsync(Path.Join(worker.WorkspaceRoot, "home", "notes", "todo.txt"), ct));
        Assert.DoesNotContain(EventTypes.ToolApprovalRequested, await worker.EventTypesAsync(again.TaskId));

        var (_, otherFile) = await PauseAsync(worker, "home", "notes/other.txt");
        var (_, otherWorkspace) = await PauseAsync(worker, "elsewhere", "notes/todo.txt");
        Assert.NotEqual(otherFile, otherWorkspace);
    }

    [Fact]
    public async Task ASecondDecisionIsRejectedAndTheFirstStands()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("twice");
        var (_, approvalId) = await PauseAsync(worker, "twice", "a.txt");

        var first = await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.Deny, "alice", null, ct);
        var second = await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowForever, "mallory", null, ct);
        var unknown = await worker.Approvals.DecideAsync("no-such-approval", ApprovalDecision.AllowOnce, "bob", null, ct);

        Assert.Equal(DecisionOutcome.Applied, first.Outcome);
        Assert.Equal(DecisionOutcome.AlreadyDecided, second.Outcome);
        Assert.Equal(ApprovalDecision.Deny, second.Approval!.Decision);
        Assert.Equal("alice", (await worker.Approvals.GetAsync(approvalId, ct))!.DecidedBy);
        Assert.Equal(DecisionOutcome.NotFound, unknown.Outcome);
        Assert.False(await worker.Approvals.IsAllowedForeverAsync(Path.Join(worker.WorkspaceRoot, "twice"), second.Approval.NormalizedAction, ct));
    }

    [Fact]
    public async Task AContinuationThatArrivesTwiceRunsTheActionOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("once");
        var (paused, approvalId) = await PauseAsync(worker, "once", "a.txt");
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("written"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember)
            .Script(WorkerHarness.Critic, Replies.Reflected);
        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowOnce, "tester", null, ct);

        var results = await Task.WhenAll(
            worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, ct),
            worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, ct));
        var late = await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, ct);

        Assert.Contains(results, r => r.Status == AgentTaskStatus.Completed && r.FinalResponse == "written");
        Assert.Equal(AgentTaskStatus.Completed, late.Status);
        Assert.Equal("written", late.FinalResponse);
        var types = await worker.EventTypesAsync(paused.TaskId);
        Assert.Single(types, t => t == EventTypes.TaskContinued);
        Assert.Single(types, t => t == EventTypes.TaskCompleted);
    }

    [Fact]
    public async Task ContinuationsForUnknownTasksForeignApprovalsAndUndecidedApprovalsChangeNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("edge");
        var (first, firstApproval) = await PauseAsync(worker, "edge", "a.txt");
        var (second, _) = await PauseAsync(worker, "edge", "b.txt");

        var unknownTask = await worker.Loop.ContinueAfterApprovalAsync("no-such-task", firstApproval, ct);
        var foreign = await worker.Loop.ContinueAfterApprovalAsync(second.TaskId, firstApproval, ct);
        var undecided = await worker.Loop.ContinueAfterApprovalAsync(first.TaskId, firstApproval, ct);

        Assert.Equal((AgentTaskStatus.Failed, "Task not found."), (unknownTask.Status, unknownTask.FinalResponse));
        Assert.Equal((AgentTaskStatus.Failed, "Approval not found for task."), (foreign.Status, foreign.FinalResponse));
        Assert.Equal((AgentTaskStatus.WaitingForApproval, "Waiting for approval."), (undecided.Status, undecided.FinalResponse));
        Assert.Equal(AgentTaskStatus.WaitingForApproval, (await worker.Tasks.GetAsync(second.TaskId, ct))!.Status);
        Assert.DoesNotContain(EventTypes.TaskContinued, await worker.EventTypesAsync(first.TaskId));
        Assert.DoesNotContain(EventTypes.TaskContinued, await worker.EventTypesAsync(second.TaskId));
    }

    [Fact]
    public async Task AnOldApprovalDoesNotResumeATaskThatNowWaitsForAnother()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("stale");
        var (paused, firstApproval) = await PauseAsync(worker, "stale", "a.txt");
        await worker.Approvals.DecideAsync(firstApproval, ApprovalDecision.AllowOnce, "tester", null, ct);
        worker.Ollama.Script(WorkerHarness.Action, Write("b.txt", "second"));
        var waitingAgain = await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, firstApproval, ct);
        Assert.Equal(AgentTaskStatus.WaitingForApproval, waitingAgain.Status);
        var before = await worker.EventTypesAsync(paused.TaskId);

        var replayed = await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, firstApproval, ct);

        Assert.Equal(AgentTaskStatus.WaitingForApproval, replayed.Status);
        Assert.Equal(before, await worker.EventTypesAsync(paused.TaskId));
        Assert.Equal(2, before.Count(t => t == EventTypes.TaskWaitingForApproval));
        // The second pause reports the first write as done, with the index it had.
        var observations = (await worker.EventsAsync(paused.TaskId)).Last(e => e.EventType == EventTypes.TaskWaitingForApproval).Payload.GetProperty("observations");
        Assert.Equal([1, 2], observations.EnumerateArray().Select(o => o.GetProperty("index").GetInt32()));
        Assert.Equal("allow_once", observations[0].GetProperty("decision").GetString());
    }
}
