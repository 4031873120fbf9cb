using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Runtime;

public sealed class BadInputEndsInAClearOutcome
{
    private static async Task<string> FailureAsync(WorkerHarness worker, ChatResult result)
    {
        Assert.Equal(AgentTaskStatus.Failed, result.Status);
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal(EventTypes.TaskFailed, events[^1].EventType);
        var error = events[^1].Payload.GetProperty("error").GetString()!;
        Assert.Equal(error, result.FinalResponse);
        Assert.Equal(error, (await worker.Tasks.GetAsync(result.TaskId, TestContext.Current.CancellationToken))!.Error);
        return error;
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    public async Task AnEmptyMessageFailsTheTaskWithoutCallingAModel(string message)
    {
        await using var worker = await WorkerHarness.StartAsync();

        var result = await worker.RunAsync(message);

        Assert.Equal("The job's message is empty.", await FailureAsync(worker, result));
        Assert.Equal([EventTypes.TaskCreated, EventTypes.TaskFailed], await worker.EventTypesAsync(result.TaskId));
        Assert.Empty(worker.Ollama.Chats);
    }

    [Fact]
    public async Task AWorkspaceThatDoesNotExistFailsTheTask()
    {
        await using var worker = await WorkerHarness.StartAsync();

        var error = await FailureAsync(worker, await worker.RunAsync("hi", workspace: "no-such-folder"));

        Assert.Contains("The workspace 'no-such-folder' does not exist", error, StringComparison.Ordinal);
        Assert.Empty(worker.Ollama.Chats);
    }

    [Fact]
    public async Task AWorkspaceOutsideTheRootFailsTheTaskEvenThroughALink()
    {
        await using var worker = await WorkerHarness.StartAsync();
        Directory.CreateDirectory(worker.WorkspaceRoot);
        File.CreateSymbolicLink(Path.Join(worker.WorkspaceRoot, "escape"), worker.Folder);

        var outside = await FailureAsync(worker, await worker.RunAsync("hi", workspace: worker.Folder));
        var linked = await FailureAsync(worker, await worker.RunAsync("hi", workspace: "escape"));
        var dotted = await FailureAsync(worker, await worker.RunAsync("hi", workspace: "../"));
        var root = await FailureAsync(worker, await worker.RunAsync("hi", workspace: worker.WorkspaceRoot));

        Assert.All([outside, linked, dotted, root], e => Assert.Contains("is not a folder under Tools:WorkspaceRoot", e, StringComparison.Ordinal));
        Assert.Empty(worker.Ollama.Chats);
    }

    [Fact]
    public async Task ToolPathsThatLeaveTheWorkspaceAreRefused()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("jail", ("inside.txt", "fine"));
        File.WriteAllText(Path.Join(worker.Folder, "secret.txt"), "top secret");
        File.CreateSymbolicLink(Path.Join(workspace, "link.txt"), Path.Join(worker.Folder, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Join(workspace, "up"), worker.Folder);
        worker.Ollama
            .Script(WorkerHarness.Action,
                OllamaReply.Actions(
                    new { tool = "fs_read", args = new { path = "../../secret.txt" }, reason = "dotdot" },
                    new { tool = "fs_read", args = new { path = Path.Join(worker.Folder, "secret.txt") }, reason = "absolute" },
                    new { tool = "fs_read", args = new { path = "link.txt" }, reason = "file link" },
                    new { tool = "fs_read", args = new { path = "up/secret.txt" }, reason = "folder link" },
                    new { tool = "fs_list", args = new { path = "up" }, reason = "list through link" },
                    new { tool = "fs_read", args = new { path = "inside.txt" }, reason = "allowed" }),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("done"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("read secrets", workspace: "jail", reflect: false);

        var results = (await worker.EventsAsync(result.TaskId))
            .Where(e => e.EventType == EventTypes.ToolCallFinished)
            .Select(e => e.Payload.GetProperty("result"))
            .ToList();
        Assert.Equal(6, results.Count);
        Assert.All(results.Take(5), r =>
        {
            Assert.False(r.GetProperty("ok").GetBoolean());
            Assert.Contains("resolves outside the workspace", r.GetProperty("error").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal("fine", results[5].GetProperty("output").GetString());
        Assert.DoesNotContain("top secret", string.Join('\n', worker.Ollama.Chats.SelectMany(c => c.Messages).Select(m => m.Content)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AThinkerThatKeepsFailingOnTheServerLeavesTheTaskToBeTriedAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Error(500), OllamaReply.Error(500));
        var (task, _) = await worker.Loop.AcceptAsync(new ChatRequest { JobId = "j", Message = "hi" }, ct);

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => worker.Loop.RunAsync(task, ct));

        Assert.StartsWith($"The thinker model ({WorkerHarness.Thinker}) is unavailable:", error.Message, StringComparison.Ordinal);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker));
        Assert.Equal(AgentTaskStatus.Running, (await worker.Tasks.GetAsync(task.TaskId, ct))!.Status);
        Assert.DoesNotContain(EventTypes.TaskFailed, await worker.EventTypesAsync(task.TaskId));

        var failed = await worker.Loop.FailAsync(task, $"Gave up: {error.Message}", ct);

        Assert.Equal($"Gave up: {error.Message}", await FailureAsync(worker, failed));
    }

    [Fact]
    public async Task ATransientServerErrorIsRetriedAndTheTaskCompletes()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Error(503), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Error(502), OllamaReply.Text("made it"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("hi", reflect: false);

        Assert.Equal((AgentTaskStatus.Completed, "made it"), (result.Status, result.FinalResponse));
        Assert.DoesNotContain(EventTypes.ActionDirectiveFailed, await worker.EventTypesAsync(result.TaskId));
    }

    [Fact]
    public async Task ARequestErrorIsNotRetried()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Error(404), OllamaReply.Text("never asked"));

        var error = await FailureAsync(worker, await worker.RunAsync("hi"));

        Assert.Contains("thinker", error, StringComparison.Ordinal);
        Assert.Equal(1, worker.Ollama.Pending(WorkerHarness.Thinker));
    }

    [Fact]
    public async Task AModelThatNeverAnswersTimesOutNamingTheSetting()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Worker:ModelTimeout"] = "00:00:00.300" });
        worker.Ollama.Script(WorkerHarness.Action, OllamaReply.Hanging(), OllamaReply.Hanging());

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => worker.RunAsync("hi"));

        Assert.Equal("action", error.Role);
        Assert.Contains("did not answer within Worker:ModelTimeout (00:00:00.3000000)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, worker.Ollama.Chats.Count);
    }

    [Fact]
    public async Task AnEmptyAnswerFailsTheTaskAfterRecordingIt()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("   "));

        var result = await worker.RunAsync("hi");

        Assert.Equal("The thinker model returned an empty answer.", await FailureAsync(worker, result));
        Assert.Equal(
            [EventTypes.ModelCallFinished, EventTypes.CognitionResponse, EventTypes.TaskFailed],
            (await worker.EventTypesAsync(result.TaskId)).TakeLast(3));
    }

    [Fact]
    public async Task AHugeAnswerIsCutToTheLimit()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text(new string('a', ModelGateway.MaxContentChars + 10_000)))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("write a novel", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.Equal(ModelGateway.MaxContentChars, result.FinalResponse.Length);
    }

    [Fact]
    public async Task AHugeFileIsReadOnlyUpToTheOutputLimit()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Tools:MaxOutputBytes"] = "4096" });
        worker.Workspace("big", ("big.txt", new string('x', 1_000_000)));
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions(new { tool = "fs_read", args = new { path = "big.txt", maxBytes = 10_000_000 }, reason = "read" }), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("big"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("read big.txt", workspace: "big", reflect: false);

        var read = (await worker.EventsAsync(result.TaskId)).Single(e => e.EventType == EventTypes.ToolCallFinished).Payload.GetProperty("result");
        Assert.Equal(4096, read.GetProperty("output").GetString()!.Length);
        Assert.True(read.GetProperty("metadata").GetProperty("truncated").GetBoolean());
        Assert.Equal(1_000_000, read.GetProperty("metadata").GetProperty("bytes").GetInt64());
    }

    [Fact]
    public async Task OneTaskFailingOrHangingDoesNotStopTheOthers()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Worker:ModelTimeout"] = "00:00:00.500", ["Ollama:MaxRetries"] = "0" });
        worker.Ollama.Fallback = chat =>
        {
            var message = chat.Messages.Last(m => m.Role == "user").Content;
            return chat.Model switch
            {
                WorkerHarness.Action => OllamaReply.Actions(),
                WorkerHarness.Memory => Replies.NothingToRemember,
                _ when message.Contains("hang", StringComparison.Ordinal) => OllamaReply.Hanging(),
                _ when message.Contains("break", StringComparison.Ordinal) => OllamaReply.Error(400),
                _ => OllamaReply.Text($"answer to {message}"),
            };
        };

        var hanging = worker.RunAsync("please hang", reflect: false);
        var breaking = worker.RunAsync("please break", reflect: false);
        var answering = worker.RunAsync("please answer", reflect: false);

        await Assert.ThrowsAsync<ModelUnavailableException>(() => hanging);
        Assert.Equal(AgentTaskStatus.Failed, (await breaking).Status);
        Assert.Equal("answer to please answer", (await answering).FinalResponse);
        Assert.Equal("answer to and another", (await worker.RunAsync("and another", reflect: false)).FinalResponse);
    }
}
