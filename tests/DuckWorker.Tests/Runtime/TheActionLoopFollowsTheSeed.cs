using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;
using static DuckWorker.Tests.EventKinds;

namespace DuckWorker.Tests.Runtime;

public sealed class TheActionLoopFollowsTheSeed
{
    [Fact]
    public async Task ADirectiveWithoutActionsGoesStraightToTheThinker()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("Hello!"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember)
            .Script(WorkerHarness.Critic, Replies.Reflected);

        var result = await worker.RunAsync("Say hello");

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.Equal("Hello!", result.FinalResponse);
        Assert.Equal(
            [
                EventTypes.TaskCreated, EmbeddingCall, EventTypes.MemoryRecalled, EventTypes.ModelCallStarted, ActionCall, EventTypes.ActionDirective,
                EventTypes.ModelCallStarted, ThinkerCall, EventTypes.CognitionResponse, EventTypes.TaskCompleted,
                MemoryCall, EventTypes.MemoryPolicyDecision, CriticCall, EventTypes.ReflectionCompleted,
            ],
            (await worker.EventsAsync(result.TaskId)).Select(Kind));
        var created = (await worker.EventsAsync(result.TaskId))[0].Payload;
        Assert.Equal("Say hello", created.GetProperty("message").GetString());
        Assert.False(created.GetProperty("debug").GetBoolean());
        var workspace = created.GetProperty("workspace").GetString()!;
        Assert.Equal(Path.Join(worker.WorkspaceRoot, result.TaskId), workspace);
        Assert.False(Directory.Exists(workspace), "a task that calls no tool leaves no folder behind");
    }

    [Fact]
    public async Task AJobWithoutAWorkspaceWorksInAFolderOfItsOwn()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action,
                OllamaReply.Actions(new { tool = "fs_list", args = new { path = "." }, reason = "look around" }),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("It is empty."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var first = await worker.RunAsync("what is here?", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, first.Status);
        var listed = (await worker.EventsAsync(first.TaskId)).Single(e => e.EventType == EventTypes.ToolCallFinished).Payload;
        Assert.True(listed.GetProperty("result").GetProperty("ok").GetBoolean(), listed.ToString());
        Assert.True(Directory.Exists(Path.Join(worker.WorkspaceRoot, first.TaskId)), "the first tool call makes the task's folder");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(worker.WorkspaceRoot, first.TaskId)));
    }

    [Fact]
    public async Task ADirectiveThatIsNotJsonIsRecordedAndTheTaskStillAnswers()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Text("I think I should read the file first."))
            .Script(WorkerHarness.Thinker, OllamaReply.Text("Here is my answer."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("Do it", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal(
            [EventTypes.TaskCreated, EmbeddingCall, EventTypes.MemoryRecalled, EventTypes.ModelCallStarted, ActionCall, EventTypes.ActionDirectiveFailed, EventTypes.ModelCallStarted],
            events.Take(7).Select(Kind));
        var error = events[5].Payload.GetProperty("error").GetString()!;
        Assert.Contains("not a JSON object", error, StringComparison.Ordinal);
        Assert.Contains("I think I should read the file first.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADirectiveInCodeFencesAndProseIsRepaired()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("fenced", ("a.txt", "fenced content"));
        worker.Ollama
            .Script(WorkerHarness.Action,
                OllamaReply.Text("Sure! ```json\n{\"actions\": [{\"tool\": \"fs_read\", \"args\": {\"path\": \"a.txt\"}, \"reason\": \"look\"},]}\n```"),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("ok"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("read a.txt", workspace: "fenced", reflect: false);

        var finished = (await worker.EventsAsync(result.TaskId)).First(e => e.EventType == EventTypes.ToolCallFinished);
        Assert.Equal("fenced content", finished.Payload.GetProperty("result").GetProperty("output").GetString());
    }

    [Fact]
    public async Task UnknownToolsAndActionsThatAreNotObjectsBecomeFailedObservations()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action,
                OllamaReply.Json(new { actions = new object[] { new { tool = "launch_rockets", args = new { }, reason = "why not" }, 42, "fs_read" } }),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("I could not do that."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("launch", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Single(events, e => e.EventType == EventTypes.ToolCallStarted);
        var finished = events.Single(e => e.EventType == EventTypes.ToolCallFinished).Payload;
        Assert.Equal("launch_rockets", finished.GetProperty("tool").GetString());
        Assert.False(finished.GetProperty("result").GetProperty("ok").GetBoolean());
        Assert.Contains("Unknown tool 'launch_rockets'", finished.GetProperty("result").GetProperty("error").GetString(), StringComparison.Ordinal);
        var thinkerPrompt = string.Join('\n', worker.Ollama.Chats.Single(c => c.Model == WorkerHarness.Thinker).Messages.Select(m => m.Content));
        Assert.Contains("Unknown tool 'launch_rockets'", thinkerPrompt, StringComparison.Ordinal);
        Assert.Contains("{\"index\":2,\"ok\":false,\"error\":\"Action must be an object\"}", thinkerPrompt, StringComparison.Ordinal);
        Assert.Contains("{\"index\":3,\"ok\":false,\"error\":\"Action must be an object\"}", thinkerPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIterationLimitStopsAModelThatNeverStops()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Worker:MaxToolIterations"] = "2" });
        var listing = OllamaReply.Actions(new { tool = "fs_list", args = new { path = "." }, reason = "again" });
        worker.Ollama
            .Script(WorkerHarness.Action, listing, listing, listing)
            .Script(WorkerHarness.Thinker, OllamaReply.Text("stopped"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("loop forever", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.Equal(1, worker.Ollama.Pending(WorkerHarness.Action));
        var events = await worker.EventsAsync(result.TaskId);
        var limit = events.Single(e => e.EventType == EventTypes.ToolIterationLimitReached);
        Assert.Equal(2, limit.Payload.GetProperty("max_tool_iterations").GetInt32());
        Assert.Equal(EventTypes.ModelCallStarted, events[events.ToList().IndexOf(limit) + 1].EventType);
        Assert.Equal([1, 2], events.Where(e => e.EventType == EventTypes.ToolCallStarted).Select(e => e.Payload.GetProperty("index").GetInt32()));
    }

    [Fact]
    public async Task OnlyTheFirstActionsOfAnOverlongDirectiveRun()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Worker:MaxActionsPerDirective"] = "2" });
        var list = new { tool = "fs_list", args = new { path = "." }, reason = "list" };
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions(list, list, list, list), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("done"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("list a lot", reflect: false);

        Assert.Equal(2, (await worker.EventsAsync(result.TaskId)).Count(e => e.EventType == EventTypes.ToolCallStarted));
        var prompt = string.Join('\n', worker.Ollama.Chats.Single(c => c.Model == WorkerHarness.Thinker).Messages.Select(m => m.Content));
        Assert.Contains("Only the first 2 actions of a directive run; the other 2 did not run.", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObservationsAreSentCompactlyAndEveryPromptExtendsThePreviousOne()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("grow", ("a.txt", "one"), ("b.txt", "two"));
        worker.Ollama
            .Script(WorkerHarness.Action,
                OllamaReply.Actions(new { tool = "fs_read", args = new { path = "a.txt" }, reason = "first" }),
                OllamaReply.Actions(new { tool = "fs_read", args = new { path = "b.txt" }, reason = "second" }),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("one two"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        await worker.RunAsync("read both", workspace: "grow", reflect: false);

        var calls = worker.Ollama.Chats.Where(c => c.Model == WorkerHarness.Action).ToList();
        Assert.Equal(3, calls.Count);
        for (var i = 1; i < calls.Count; i++)
        {
            Assert.Equal(calls[i - 1].Messages, calls[i].Messages.Take(calls[i - 1].Messages.Count));
            Assert.Equal(calls[i - 1].Messages.Count + 1, calls[i].Messages.Count);
        }

        var observation = calls[2].Messages[^1].Content;
        Assert.StartsWith("tool_observations:\n[{", observation, StringComparison.Ordinal);
        Assert.DoesNotContain("\n  ", observation, StringComparison.Ordinal);
        Assert.DoesNotContain("metadata", observation, StringComparison.Ordinal);
        Assert.DoesNotContain("null", observation, StringComparison.Ordinal);
        Assert.Contains("\"output\":\"two\"", observation, StringComparison.Ordinal);
        var thinker = worker.Ollama.Chats.Single(c => c.Model == WorkerHarness.Thinker);
        Assert.Equal(calls[2].Messages.Skip(1), thinker.Messages);
    }

    [Fact]
    public async Task ARepeatedJobIdReturnsTheFirstTaskWithoutRunningAgain()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("once"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var first = await worker.RunAsync("only once", jobId: "job-1", reflect: false);
        var second = await worker.RunAsync("only once", jobId: "job-1", reflect: false);

        Assert.Equal(first.TaskId, second.TaskId);
        Assert.Equal(AgentTaskStatus.Completed, second.Status);
        Assert.Equal("once", second.FinalResponse);
        Assert.Equal(3, worker.Ollama.Chats.Count);
    }

    [Fact]
    public async Task WithoutReflectTheCriticIsNotAsked()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("hi"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("hi", reflect: false);

        Assert.DoesNotContain(EventTypes.ReflectionCompleted, await worker.EventTypesAsync(result.TaskId));
        Assert.DoesNotContain(worker.Ollama.Chats, c => c.Model == WorkerHarness.Critic);
    }

    [Fact]
    public async Task MemoryAndReflectionFailuresAreEventsAndTheTaskStaysCompleted()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("answer"))
            .Script(WorkerHarness.Memory, OllamaReply.Text("store it? maybe"))
            .Script(WorkerHarness.Critic, OllamaReply.Error(400));

        var result = await worker.RunAsync("hi");

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.Equal(AgentTaskStatus.Completed, (await worker.Tasks.GetAsync(result.TaskId, TestContext.Current.CancellationToken))!.Status);
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal([EventTypes.TaskCompleted, MemoryCall, EventTypes.MemoryPolicyFailed, EventTypes.ReflectionFailed], events.TakeLast(4).Select(Kind));
        Assert.Contains("not a JSON object", events[^2].Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("critic", events[^1].Payload.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemoryDecisionToStoreIsKeptWithItsScopeAndType()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("mem");
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("Noted: you prefer tabs."))
            .Script(WorkerHarness.Memory, OllamaReply.Json(new { should_store = true, summary = "The user prefers tabs.", scope = "global", memory_type = "preference", importance = 0.9, metadata = new { source = "chat" } }));

        var result = await worker.RunAsync("I prefer tabs", workspace: "mem", reflect: false);

        var decision = (await worker.EventsAsync(result.TaskId)).Single(e => e.EventType == EventTypes.MemoryPolicyDecision).Payload;
        Assert.Equal(["should_store", "summary", "scope", "memory_type", "importance", "metadata"], decision.EnumerateObject().Select(p => p.Name));
        var memory = Assert.Single(await worker.Services.GetRequiredService<IMemoryStore>().ListAsync(null, null, 10, TestContext.Current.CancellationToken));
        Assert.Equal(("The user prefers tabs.", "global", "preference", 0.9, workspace, result.TaskId), (memory.Text, memory.Scope, memory.MemoryType, memory.Importance, memory.Workspace, memory.TaskId));
        Assert.Equal("chat", memory.Metadata["source"]!.GetValue<string>());
    }
}
