using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Runtime;

public sealed class InterruptedRunsResumeWithoutRepeatingTools
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARunStoppedByAnUnreachableModelResumesWithWhatItAlreadyObserved()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Ollama:MaxRetries"] = "0" });
        worker.Workspace("resume", ("a.txt", "alpha"));
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions(new { tool = "fs_read", args = new { path = "a.txt" }, reason = "read" }), OllamaReply.Error(503), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("alpha it is"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "j", Message = "what is in a.txt?", Workspace = "resume", Reflect = false }, Ct);

        await Assert.ThrowsAsync<ModelUnavailableException>(() => worker.Loop.RunAsync(task, Ct));
        var result = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(task.TaskId, Ct))!, Ct);

        Assert.Equal((AgentTaskStatus.Completed, "alpha it is"), (result.Status, result.FinalResponse));
        var events = await worker.EventsAsync(task.TaskId);
        Assert.Single(events, e => e.EventType == EventTypes.ToolCallStarted);
        var resumed = events.Single(e => e.EventType == EventTypes.TaskResumed).Payload;
        Assert.Equal(1, resumed.GetProperty("observations").GetInt32());
        var afterResume = worker.Ollama.Chats.Where(c => c.Model == WorkerHarness.Action).Last();
        Assert.Contains("\"output\":\"alpha\"", afterResume.Messages[^1].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallCutOffMidRunIsReportedAndNotRunAgain()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("cut");
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("I could not confirm the write."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "j", Message = "write", Workspace = "cut", Reflect = false }, Ct);
        var log = worker.Services.GetRequiredService<IEventLog>();
        await log.AppendAsync(task.TaskId, EventTypes.ModelCallStarted, JsonSerializer.SerializeToElement(new { role = "action" }), Ct);
        await log.AppendAsync(task.TaskId, EventTypes.ToolCallStarted, JsonSerializer.SerializeToElement(new { index = 1, tool = "fs_write", args = new { path = "x.txt", content = "x" } }), Ct);

        var result = await worker.Loop.RunAsync(task, Ct);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.False(File.Exists(Path.Join(workspace, "x.txt")));
        var prompt = worker.Ollama.Chats.First().Messages[^1].Content;
        Assert.Contains("it was not run again", prompt, StringComparison.Ordinal);
        Assert.Contains("\"index\":1", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARunStoppedBetweenRecordingItsPauseAndMovingTheTaskOnlyFinishesTheMove()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("pause");
        worker.Ollama.Script(WorkerHarness.Action, OllamaReply.Actions(new { tool = "fs_write", args = new { path = "x.txt", content = "x" }, reason = "write" }));
        var paused = await worker.RunAsync("write", workspace: "pause");
        var task = (await worker.Tasks.GetAsync(paused.TaskId, Ct))!;
        Assert.True(await worker.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Running }, AgentTaskStatus.WaitingForApproval, Ct));
        var chats = worker.Ollama.Chats.Count;

        var result = await worker.Loop.RunAsync((await worker.Tasks.GetAsync(paused.TaskId, Ct))!, Ct);

        Assert.Equal(AgentTaskStatus.WaitingForApproval, result.Status);
        Assert.Equal(chats, worker.Ollama.Chats.Count);
        Assert.Equal(EventTypes.TaskWaitingForApproval, (await worker.EventTypesAsync(paused.TaskId))[^1]);
    }

    [Fact]
    public async Task ARunStoppedAfterAskingForApprovalPausesAgainOnResume()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("asked");
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "j", Message = "write", Workspace = "asked" }, Ct);
        var log = worker.Services.GetRequiredService<IEventLog>();
        await log.AppendAsync(task.TaskId, EventTypes.ToolCallStarted, JsonSerializer.SerializeToElement(new { index = 1, tool = "fs_write", args = new { path = "x.txt", content = "x" } }), Ct);
        await log.AppendAsync(task.TaskId, EventTypes.ToolApprovalRequested, JsonSerializer.SerializeToElement(new { index = 1, tool = "fs_write", action = new { tool = "fs_write", args = new { path = "x.txt", content = "x" }, reason = "w" }, approval_id = "a1", reason = "needs approval" }), Ct);

        var result = await worker.Loop.RunAsync(task, Ct);

        Assert.Equal(AgentTaskStatus.WaitingForApproval, result.Status);
        Assert.Empty(worker.Ollama.Chats);
        var waiting = (await worker.EventsAsync(task.TaskId))[^1];
        Assert.Equal("a1", waiting.Payload.GetProperty("observations")[0].GetProperty("approval_id").GetString());
    }

    [Fact]
    public async Task FailingATaskRecordsTheReasonOnceAndLeavesFinishedTasksAlone()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "j", Message = "hi" }, Ct);

        var failed = await worker.Loop.FailAsync(task, "gave up", Ct);
        var again = await worker.Loop.FailAsync((await worker.Tasks.GetAsync(task.TaskId, Ct))!, "gave up twice", Ct);

        Assert.Equal((AgentTaskStatus.Failed, "gave up"), (failed.Status, failed.FinalResponse));
        Assert.Equal("gave up", again.FinalResponse);
        Assert.Single(await worker.EventTypesAsync(task.TaskId), t => t == EventTypes.TaskFailed);
    }
}
