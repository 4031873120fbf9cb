using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;
using static DuckWorker.Tests.EventKinds;

namespace DuckWorker.Tests.Runtime;

/// <summary>
/// The proof: one task through action → tool → approval pause → continue → answer → memory →
/// reflection, over the real OllamaSharp client and the SQLite store, with every event asserted in order.
/// </summary>
public sealed class AWholeTaskRunsThroughApprovalToReflection
{
    [Fact]
    public async Task EveryEventIsRecordedInTheSeedsOrder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("notes", ("notes.txt", "Ducks like bread."));
        worker.Ollama
            .Script(WorkerHarness.Action,
                OllamaReply.Actions(
                    new { tool = "fs_read", args = new { path = "notes.txt" }, reason = "read the notes" },
                    new { tool = "fs_write", args = new { path = "summary.txt", content = "Ducks like bread." }, reason = "write the summary" }),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("I wrote summary.txt: ducks like bread.", thinking: "The notes say ducks like bread."))
            .Script(WorkerHarness.Memory, Replies.Remember("The notes folder says ducks like bread.", importance: 0.7))
            .Script(WorkerHarness.Critic, OllamaReply.Json(new { summary = "Read the notes and wrote a summary after approval.", outcome = "success", reusable_lesson = "Read a file before summarizing it." }));

        var paused = await worker.RunAsync("Summarize notes.txt into summary.txt", workspace: "notes");

        Assert.Equal(AgentTaskStatus.WaitingForApproval, paused.Status);
        Assert.Equal("Waiting for approval.", paused.FinalResponse);
        Assert.False(File.Exists(Path.Join(workspace, "summary.txt")));
        var waiting = await worker.EventsAsync(paused.TaskId);
        Assert.Equal(
            [
                EventTypes.TaskCreated, EmbeddingCall, EventTypes.MemoryRecalled, EventTypes.ModelCallStarted, ActionCall, EventTypes.ActionDirective,
                EventTypes.ToolCallStarted, EventTypes.ToolCallFinished,
                EventTypes.ToolCallStarted, EventTypes.ToolApprovalRequested, EventTypes.TaskWaitingForApproval,
            ],
            waiting.Select(Kind));
        var approvalId = waiting[9].Payload.GetProperty("approval_id").GetString()!;
        Assert.Equal(2, waiting[9].Payload.GetProperty("index").GetInt32());
        Assert.Equal("fs_write", waiting[9].Payload.GetProperty("action").GetProperty("tool").GetString());
        Assert.Equal("Ducks like bread.", waiting[7].Payload.GetProperty("result").GetProperty("output").GetString());
        var observations = waiting[10].Payload.GetProperty("observations");
        Assert.Equal(2, observations.GetArrayLength());
        Assert.True(observations[1].GetProperty("requires_approval").GetBoolean());
        Assert.Equal(approvalId, observations[1].GetProperty("approval_id").GetString());

        var decision = await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowOnce, "tester", null, ct);
        Assert.Equal(DuckWorker.Runtime.Approvals.DecisionOutcome.Applied, decision.Outcome);
        var finished = await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, ct);

        Assert.Equal(AgentTaskStatus.Completed, finished.Status);
        Assert.Equal("I wrote summary.txt: ducks like bread.", finished.FinalResponse);
        Assert.Equal("The notes say ducks like bread.", finished.ReasoningContent);
        Assert.Equal("Ducks like bread.", await File.ReadAllTextAsync(Path.Join(workspace, "summary.txt"), ct));

        var events = await worker.EventsAsync(paused.TaskId);
        // Every model call of every role is recorded once it answers: the recall's and the memory's embeddings too.
        Assert.Equal(
            [
                EventTypes.TaskCreated, EmbeddingCall, EventTypes.MemoryRecalled, EventTypes.ModelCallStarted, ActionCall, EventTypes.ActionDirective,
                EventTypes.ToolCallStarted, EventTypes.ToolCallFinished,
                EventTypes.ToolCallStarted, EventTypes.ToolApprovalRequested, EventTypes.TaskWaitingForApproval,
                EventTypes.TaskContinued, EventTypes.ToolCallStarted, EventTypes.ToolCallFinished,
                EventTypes.ModelCallStarted, ActionCall, EventTypes.ActionDirective,
                EventTypes.ModelCallStarted, ThinkerCall, EventTypes.CognitionResponse, EventTypes.TaskCompleted,
                MemoryCall, EventTypes.MemoryPolicyDecision, EmbeddingCall, EventTypes.MemoryStored,
                CriticCall, EmbeddingCall, EventTypes.ReflectionCompleted,
            ],
            events.Select(Kind));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        var recalled = events[2].Payload;
        Assert.Equal((0, 0, System.Text.Json.JsonValueKind.Null), (recalled.GetProperty("memories").GetArrayLength(), recalled.GetProperty("lessons").GetArrayLength(), recalled.GetProperty("fallback").ValueKind));
        var embedded = events[1].Payload;
        Assert.Equal(("embedding-model", 1), (embedded.GetProperty("model").GetString(), embedded.GetProperty("texts").GetInt32()));
        Assert.Equal(WorkerHarness.Action, events[4].Payload.GetProperty("model").GetString());

        Assert.Equal("allow_once", events[11].Payload.GetProperty("decision").GetString());
        Assert.Equal(approvalId, events[11].Payload.GetProperty("approval_id").GetString());
        Assert.Equal((2, approvalId), (events[12].Payload.GetProperty("index").GetInt32(), events[12].Payload.GetProperty("approval_id").GetString()));
        Assert.Equal(2, events[13].Payload.GetProperty("index").GetInt32());
        Assert.True(events[13].Payload.GetProperty("result").GetProperty("ok").GetBoolean());
        Assert.Equal("action", events[14].Payload.GetProperty("role").GetString());
        Assert.Equal(0, events[16].Payload.GetProperty("actions").GetArrayLength());
        Assert.Equal("thinker", events[17].Payload.GetProperty("role").GetString());
        Assert.Equal("The notes say ducks like bread.", events[19].Payload.GetProperty("reasoning_content").GetString());
        var finishedCall = events[18].Payload;
        Assert.Equal(WorkerHarness.Thinker, finishedCall.GetProperty("model").GetString());
        Assert.Equal(11, finishedCall.GetProperty("prompt_tokens").GetInt64());
        Assert.Equal(7, finishedCall.GetProperty("completion_tokens").GetInt64());
        Assert.Equal(18, finishedCall.GetProperty("total_tokens").GetInt64());
        Assert.True(finishedCall.GetProperty("latency_ms").GetInt64() >= 0);
        Assert.Equal("I wrote summary.txt: ducks like bread.", events[20].Payload.GetProperty("final_response").GetString());
        Assert.Equal(WorkerHarness.Memory, events[21].Payload.GetProperty("model").GetString());
        Assert.True(events[22].Payload.GetProperty("should_store").GetBoolean());
        Assert.Equal("workspace", events[24].Payload.GetProperty("scope").GetString());
        Assert.Equal(WorkerHarness.Critic, events[25].Payload.GetProperty("model").GetString());
        Assert.Equal("Read a file before summarizing it.", events[27].Payload.GetProperty("reusable_lesson").GetString());

        var memories = await worker.Services.GetRequiredService<IMemoryStore>().ListAsync(workspace, null, 10, ct);
        Assert.Equal("The notes folder says ducks like bread.", Assert.Single(memories).Text);
        var record = await worker.Services.GetRequiredService<IExperienceStore>().GetAsync(events[27].Payload.GetProperty("record_id").GetString()!, ct);
        Assert.Equal("success", record!.Outcome);
        Assert.Equal(AgentTaskStatus.Completed, (await worker.Tasks.GetAsync(paused.TaskId, ct))!.Status);
        Assert.All(new[] { WorkerHarness.Action, WorkerHarness.Thinker, WorkerHarness.Memory, WorkerHarness.Critic }, m => Assert.Equal(0, worker.Ollama.Pending(m)));
    }

    [Fact]
    public async Task TheContinuationKeepsTheOriginalContextAndEveryEarlierObservation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("ctx", ("a.txt", "alpha"));
        worker.Ollama
            .Script(WorkerHarness.Action,
                OllamaReply.Actions(
                    new { tool = "fs_read", args = new { path = "a.txt" }, reason = "read" },
                    new { tool = "fs_write", args = new { path = "b.txt", content = "beta" }, reason = "write" }),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("done"))
            .Script(WorkerHarness.Memory, OllamaReply.Json(new { should_store = false, summary = "", scope = "workspace", memory_type = "fact", importance = 0 }));
        var request = new ChatRequest
        {
            JobId = "ctx-job",
            Message = "copy things",
            Workspace = "ctx",
            Reflect = false,
            History = [new(ConversationMessage.User, "earlier question"), new(ConversationMessage.Assistant, "earlier answer")],
            SkillSummary = "You know how to copy files.",
        };

        var paused = await worker.Loop.RunChatAsync(request, ct);
        var approvalId = (await worker.EventsAsync(paused.TaskId)).Single(e => e.EventType == EventTypes.ToolApprovalRequested).Payload.GetProperty("approval_id").GetString()!;
        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowOnce, "tester", null, ct);
        await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, ct);

        var chats = worker.Ollama.Chats;
        var first = chats[0];
        var afterPause = chats[1];
        var thinker = chats.Single(c => c.Model == WorkerHarness.Thinker);
        // The context (system prompt with the skill summary, the history, the message) is the same prefix every time.
        var context = first.Messages.Skip(1).ToList(); // the action call's first message is its own instructions
        Assert.Contains(context, m => m.Content == "earlier question");
        Assert.Contains("You know how to copy files.", context[0].Content, StringComparison.Ordinal);
        Assert.Equal(context, afterPause.Messages.Skip(1).Take(context.Count));
        Assert.Equal(context, thinker.Messages.Take(context.Count));
        // After the pause the models see the read made before it, and the approved write.
        var observed = string.Join('\n', afterPause.Messages.Skip(1 + context.Count).Select(m => m.Content));
        Assert.Contains("alpha", observed, StringComparison.Ordinal);
        Assert.Contains("\"index\":2", observed, StringComparison.Ordinal);
        Assert.Equal("beta", await File.ReadAllTextAsync(Path.Join(worker.WorkspaceRoot, "ctx", "b.txt"), ct));
    }
}
