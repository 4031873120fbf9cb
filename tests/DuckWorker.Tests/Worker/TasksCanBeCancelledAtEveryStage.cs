using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Tests.Cli;

namespace DuckWorker.Tests.Worker;

/// <summary><c>duck tasks cancel</c> against the real broker and store: running, waiting, queued, finished.</summary>
public sealed class TasksCanBeCancelledAtEveryStage(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Job(string jobId, string message, string? workspace = null) =>
        JsonSerializer.Serialize(new { jobId, message, workspace, reflect = false });

    [Fact]
    public async Task ARunningTaskStopsAtItsNextStepAndItsEndIsAnnounced()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        using var reached = new SemaphoreSlim(0);
        using var gate = new ManualResetEventSlim();
        worker.Ollama.Fallback = chat =>
        {
            if (chat.Model != WorkerHarness.Action)
            {
                return Replies.Answering(chat);
            }

            // The action model answers only once the task was asked to stop: its tool call must then not run.
            reached.Release();
            gate.Wait(Patience);
            return OllamaReply.Actions(new { tool = "fs_list", args = new { path = "." }, reason = "look" });
        };
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, Job("job-running", "look around"), "duck.chat.v1", Ct);
        Assert.True(await reached.WaitAsync(Patience, Ct));
        (int Exit, string Output, string Errors) cancel;
        try
        {
            cancel = await Duck.RunAsync(worker, "tasks", "cancel", "job-running", "--reason", "not needed", "--by", "tester");
        }
        finally
        {
            gate.Set();
        }

        var done = await finished.WaitForAsync(m => m.CorrelationId == "job-running", Patience, Ct);

        Assert.Equal((0, ""), (cancel.Exit, cancel.Errors));
        Assert.Contains("stops at its next step", cancel.Output, StringComparison.Ordinal);
        Assert.Equal(("failed", "cancelled by tester: not needed"), (done.Json.GetProperty("status").GetString(), done.Json.GetProperty("finalResponse").GetString()));
        var taskId = done.Json.GetProperty("taskId").GetString()!;
        var events = await worker.EventsAsync(taskId);
        var types = events.Select(e => e.EventType).ToList();
        Assert.DoesNotContain(EventTypes.ToolCallStarted, types);
        Assert.Equal([EventTypes.TaskCancelled, EventTypes.TaskFailed], types.TakeLast(2));
        var requested = events.Single(e => e.EventType == EventTypes.TaskCancelRequested).Payload;
        Assert.Equal(("tester", "not needed"), (requested.GetProperty("by").GetString(), requested.GetProperty("reason").GetString()));
        Assert.DoesNotContain(worker.Ollama.Chats, c => c.Model == WorkerHarness.Thinker);
        var stored = (await worker.Tasks.GetAsync(taskId, Ct))!;
        Assert.Equal((AgentTaskStatus.Failed, "cancelled by tester: not needed", "tester"), (stored.Status, stored.Error, stored.CancelRequest!.By));
    }

    [Fact]
    public async Task AWaitingTaskEndsAtOnceAndADecisionSentLaterIsDeadLetteredWithTheReason()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await using var dead = await broker.ConsumeAsync(worker.Names.Dead, Ct);

        await broker.PublishAsync(worker.Names.Jobs, Job("job-waiting", "please write a.txt", "shared"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var taskId = request.GetProperty("taskId").GetString()!;
        var approvalId = request.GetProperty("approvalId").GetString()!;
        await WaitingAsync(worker, taskId);
        var cancel = await Duck.RunAsync(worker, "tasks", "cancel", taskId, "--by", "tester");
        var done = await finished.WaitForAsync(m => m.CorrelationId == "job-waiting", Patience, Ct);

        Assert.Equal((0, ""), (cancel.Exit, cancel.Errors));
        Assert.Contains("ended", cancel.Output, StringComparison.Ordinal);
        Assert.Equal(("failed", "cancelled by tester", taskId), (done.Json.GetProperty("status").GetString(), done.Json.GetProperty("finalResponse").GetString(), done.Json.GetProperty("taskId").GetString()));
        Assert.Equal([EventTypes.TaskCancelRequested, EventTypes.TaskCancelled, EventTypes.TaskFailed], (await worker.EventTypesAsync(taskId)).TakeLast(3));
        var approval = (await worker.Services.GetRequiredService<IApprovalStore>().GetAsync(approvalId, Ct))!;
        Assert.Equal((ApprovalDecision?)null, approval.Decision);
        Assert.Contains("cancelled by tester", approval.ClosedReason, StringComparison.Ordinal);

        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "late approver" }),
            "duck.approval-decision.v1",
            Ct);
        var letter = await dead.WaitForAsync(_ => true, Patience, Ct);

        Assert.Contains($"Approval '{approvalId}' is closed: task {taskId} was cancelled by tester", letter.Headers["x-duck-reason"], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(workspace, "a.txt")));
        Assert.Equal(AgentTaskStatus.Failed, (await worker.Tasks.GetAsync(taskId, Ct))!.Status);
    }

    [Fact]
    public async Task AJobCancelledBeforeAWorkerPicksItUpEndsWithoutRunning()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Answering;
        var replies = $"{worker.Names.Prefix}.replies";
        await broker.DeclareQueueAsync(replies, Ct);
        await using var replied = await broker.ConsumeAsync(replies, Ct);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        var cancel = await Duck.RunAsync(worker, "tasks", "cancel", "job-queued", "--reason", "wrong input", "--by", "tester");
        await broker.PublishAsync(worker.Names.Jobs, Job("job-queued", "say hello"), "duck.chat.v1", Ct, replyTo: replies);
        var done = await finished.WaitForAsync(m => m.CorrelationId == "job-queued", Patience, Ct);
        var reply = await replied.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal((0, ""), (cancel.Exit, cancel.Errors));
        Assert.Contains("not picked up yet", cancel.Output, StringComparison.Ordinal);
        Assert.Equal("failed", done.Json.GetProperty("status").GetString());
        Assert.Equal("cancelled by tester: wrong input before a worker picked up its job", done.Json.GetProperty("finalResponse").GetString());
        Assert.Equal(done.Body, reply.Body);
        Assert.Empty(worker.Ollama.Chats);
        await broker.DeleteQueueAsync(replies, Ct);
    }

    [Fact]
    public async Task AFinishedTaskIsRefusedWithTheReason()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        var done = await worker.RunAsync("say hello", reflect: false);

        var completed = await Duck.RunAsync(worker, "tasks", "cancel", done.TaskId);
        var direct = await worker.Loop.RequestCancelAsync((await worker.Tasks.GetAsync(done.TaskId, Ct))!, "tester", null, Ct);

        Assert.Equal(2, completed.Exit);
        Assert.Contains($"Task {done.TaskId} has already finished (completed)", completed.Errors, StringComparison.Ordinal);
        Assert.Null(direct);
        Assert.DoesNotContain(EventTypes.TaskCancelRequested, await worker.EventTypesAsync(done.TaskId));
        Assert.Equal(AgentTaskStatus.Completed, (await worker.Tasks.GetAsync(done.TaskId, Ct))!.Status);
    }

    [Fact]
    public async Task ARecordedTaskAskedToStopBeforeAnyRunEndsWithoutCallingAModel()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "accepted", Message = "say hello", Reflect = false }, Ct);

        var asked = await worker.Loop.RequestCancelAsync(task, "tester", "changed my mind", Ct);
        var shown = await Duck.RunAsync(worker, "tasks", "show", task.TaskId);
        var result = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(task.TaskId, Ct))!, Ct);

        Assert.Contains("cancel:    cancelled by tester: changed my mind", shown.Output, StringComparison.Ordinal);
        Assert.Equal(AgentTaskStatus.Running, asked!.Status);
        Assert.Equal((AgentTaskStatus.Failed, "cancelled by tester: changed my mind"), (result.Status, result.FinalResponse));
        Assert.Empty(worker.Ollama.Chats);
        Assert.DoesNotContain(EventTypes.TaskResumed, await worker.EventTypesAsync(task.TaskId));
    }

    [Fact]
    public async Task ATaskAskedToStopBetweenItsAcceptanceAndItsStartEndsWithoutCallingAModel()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        var (accepted, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "accepted-then-stopped", Message = "say hello", Reflect = false }, Ct);

        await worker.Loop.RequestCancelAsync(accepted, "tester", "changed my mind", Ct);
        var result = await worker.Loop.StartAsync(accepted, Ct);

        Assert.Equal((AgentTaskStatus.Failed, "cancelled by tester: changed my mind"), (result.Status, result.FinalResponse));
        Assert.Equal((AgentTaskStatus.Failed, "cancelled by tester: changed my mind"), (result.Ended!.Status, result.Ended.Error));
        Assert.Empty(worker.Ollama.Chats);
        Assert.Equal(
            [EventTypes.TaskCreated, EventTypes.ModelCallFinished, EventTypes.MemoryRecalled, EventTypes.TaskCancelRequested, EventTypes.TaskCancelled, EventTypes.TaskFailed],
            await worker.EventTypesAsync(accepted.TaskId));
    }

    [Fact]
    public async Task ACancelAskedJustBeforeATaskWaitsEndsItAsItWouldWait()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        var waiting = await worker.RunAsync("please write a.txt", workspace: "shared", reflect: false);
        var approvals = worker.Services.GetRequiredService<IApprovalStore>();
        var approval = (await approvals.FindPendingAsync(waiting.TaskId, Ct))!;

        // As a run finds it after recording its pause, and before moving the task to wait: still running, and
        // asked to stop (the request found it running, so it left the ending to this run).
        var task = (await worker.Tasks.GetAsync(waiting.TaskId, Ct))!;
        Assert.True(await worker.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Running }, AgentTaskStatus.WaitingForApproval, Ct));
        await worker.Tasks.TryRequestCancelAsync(task.TaskId, new CancelRequest("tester", null, DateTimeOffset.UtcNow), Ct);
        var result = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(task.TaskId, Ct))!, Ct);

        Assert.Equal((AgentTaskStatus.Failed, "cancelled by tester"), (result.Status, result.FinalResponse));
        Assert.Contains("cancelled by tester", (await approvals.GetAsync(approval.ApprovalId, Ct))!.ClosedReason, StringComparison.Ordinal);
        Assert.Equal([EventTypes.TaskCancelled, EventTypes.TaskFailed], (await worker.EventTypesAsync(task.TaskId)).TakeLast(2));
    }

    private static async Task WaitingAsync(WorkerHarness worker, string taskId)
    {
        for (var i = 0; i < 300 && (await worker.Tasks.GetAsync(taskId, Ct))?.Status != AgentTaskStatus.WaitingForApproval; i++)
        {
            await Task.Delay(100, Ct);
        }
    }
}
