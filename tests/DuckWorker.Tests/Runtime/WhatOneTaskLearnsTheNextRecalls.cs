using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;
using DuckWorker.Tests.Embeddings;

namespace DuckWorker.Tests.Runtime;

/// <summary>
/// Recall through the real wiring, with either embedder: the test server's word hashing (texts that share words
/// are close, texts that share none far apart) and the in-process model (texts close in meaning are close).
/// </summary>
public sealed class WhatOneTaskLearnsTheNextRecalls
{
    private const string Fact = "the ducks sleep in the blue shed near the pond";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> Recall = new() { ["Memory:MinScore"] = "0.3" };

    /// <summary>Every role answers plainly; the memory model keeps what <paramref name="remember"/> says for each message.</summary>
    private static Func<RecordedChat, OllamaReply> Answering(Func<string, OllamaReply>? remember = null) => chat =>
    {
        var user = chat.Messages.Last(m => m.Role == "user").Content;
        return chat.Model switch
        {
            WorkerHarness.Action => OllamaReply.Actions(),
            WorkerHarness.Memory => remember?.Invoke(user) ?? Replies.NothingToRemember,
            WorkerHarness.Critic => Replies.Reflected,
            _ => OllamaReply.Text("ok"),
        };
    };

    private static string SystemPromptOf(WorkerHarness worker, string message) =>
        worker.Ollama.Chats.Last(c => c.Model == WorkerHarness.Thinker && c.Messages.Any(m => m.Content == message)).Messages[0].Content;

    private static async Task<System.Text.Json.JsonElement> RecalledAsync(WorkerHarness worker, string taskId) =>
        (await worker.EventsAsync(taskId)).Single(e => e.EventType == EventTypes.MemoryRecalled).Payload;

    [Theory]
    [MemberData(nameof(BothEmbedders.Names), MemberType = typeof(BothEmbedders))]
    public async Task AFactStoredByOneTaskIsInTheContextOfARelatedTaskAndNotOfAnUnrelatedOne(string embedder)
    {
        await using var worker = await WorkerHarness.StartAsync(BothEmbedders.With(embedder, Recall));
        worker.Workspace("farm");
        worker.Ollama.Fallback = Answering(user => user.StartsWith("Task:\nwhere do the ducks", StringComparison.Ordinal) ? Replies.Remember(Fact) : Replies.NothingToRemember);

        var first = await worker.RunAsync("where do the ducks sleep at night", workspace: "farm", reflect: false);
        var related = await worker.RunAsync("do the ducks sleep in the shed", workspace: "farm", reflect: false);
        var unrelated = await worker.RunAsync("capital of france please", workspace: "farm", reflect: false);

        var stored = (await worker.EventsAsync(first.TaskId)).Single(e => e.EventType == EventTypes.MemoryStored).Payload;
        var memoryId = stored.GetProperty("memory_id").GetString();
        Assert.DoesNotContain(Fact, SystemPromptOf(worker, "where do the ducks sleep at night"), StringComparison.Ordinal);
        Assert.Contains($"- (fact) {Fact}", SystemPromptOf(worker, "do the ducks sleep in the shed"), StringComparison.Ordinal);
        Assert.DoesNotContain(Fact, SystemPromptOf(worker, "capital of france please"), StringComparison.Ordinal);
        var recalled = (await RecalledAsync(worker, related.TaskId)).GetProperty("memories");
        Assert.Equal(memoryId, Assert.Single(recalled.EnumerateArray()).GetProperty("memory_id").GetString());
        Assert.InRange(recalled[0].GetProperty("score").GetDouble(), 0.3, 1.0);
        Assert.Equal(0, (await RecalledAsync(worker, unrelated.TaskId)).GetProperty("memories").GetArrayLength());
    }

    [Theory]
    [MemberData(nameof(BothEmbedders.Names), MemberType = typeof(BothEmbedders))]
    public async Task AWorkspaceMemoryStaysInItsWorkspaceAndAGlobalOneTravels(string embedder)
    {
        await using var worker = await WorkerHarness.StartAsync(BothEmbedders.With(embedder, Recall));
        worker.Workspace("farm");
        worker.Workspace("city");
        worker.Ollama.Fallback = Answering(user =>
            user.Contains("remember the shed", StringComparison.Ordinal) ? Replies.Remember(Fact)
            : user.Contains("remember the tabs", StringComparison.Ordinal) ? Replies.Remember("the user wants tabs not spaces when ducks write code", "global")
            : Replies.NothingToRemember);

        await worker.RunAsync("remember the shed", workspace: "farm", reflect: false);
        await worker.RunAsync("remember the tabs", workspace: "farm", reflect: false);
        await worker.RunAsync("do the ducks sleep in the shed and write code with tabs", workspace: "city", reflect: false);
        await worker.RunAsync("do the ducks sleep in the shed and write code with tabs", workspace: "farm", reflect: false);

        var chats = worker.Ollama.Chats.Where(c => c.Model == WorkerHarness.Thinker && c.Messages[^1].Content.StartsWith("do the ducks", StringComparison.Ordinal)).ToList();
        var inCity = chats[0].Messages[0].Content;
        var inFarm = chats[1].Messages[0].Content;
        Assert.Contains("tabs not spaces", inCity, StringComparison.Ordinal);
        Assert.DoesNotContain("blue shed", inCity, StringComparison.Ordinal);
        Assert.Contains("tabs not spaces", inFarm, StringComparison.Ordinal);
        Assert.Contains("blue shed", inFarm, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BothEmbedders.Names), MemberType = typeof(BothEmbedders))]
    public async Task RecallKeepsToItsBudgetBestFirst(string embedder)
    {
        await using var worker = await WorkerHarness.StartAsync(BothEmbedders.With(embedder, new Dictionary<string, string?> { ["Memory:MinScore"] = "0.1", ["Memory:RecallBudget"] = "100" }));
        var workspace = worker.Workspace("farm");
        var memories = worker.Services.GetRequiredService<IMemoryStore>();
        var embed = worker.Services.GetRequiredService<Embedder>();
        var texts = new[]
        {
            "ducks sleep in the shed",
            "ducks sleep near the pond in summer when the nights are warm and the water is calm",
            "ducks eat bread",
            "ducks swim",
        };
        foreach (var text in texts)
        {
            var (vector, _) = await embed.TryEmbedAsync(text, Ct);
            await memories.AddAsync(new MemoryRecord { MemoryId = text, Workspace = workspace, Scope = "workspace", MemoryType = "fact", Text = text, Embedding = vector, EmbeddedBy = embed.Name, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }, Ct);
        }

        worker.Ollama.Fallback = Answering();

        var result = await worker.RunAsync("where do ducks sleep", workspace: "farm", reflect: false);

        var recalled = (await RecalledAsync(worker, result.TaskId)).GetProperty("memories").EnumerateArray().Select(m => m.GetProperty("memory_id").GetString()!).ToList();
        Assert.Equal("ducks sleep in the shed", recalled[0]);
        Assert.DoesNotContain(texts[1], recalled);
        // Whatever its rank, the long one no longer fits once the best is in; shorter ones still may.
        Assert.True(recalled.Sum(r => r.Length) <= 100);
        var prompt = SystemPromptOf(worker, "where do ducks sleep");
        Assert.All(recalled, r => Assert.Contains(r, prompt, StringComparison.Ordinal));
        Assert.DoesNotContain(texts[1], prompt, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BothEmbedders.Names), MemberType = typeof(BothEmbedders))]
    public async Task ANearDuplicateUpdatesTheMemoryInsteadOfAddingAnother(string embedder)
    {
        await using var worker = await WorkerHarness.StartAsync(BothEmbedders.With(embedder, Recall));
        var workspace = worker.Workspace("farm");
        worker.Ollama.Fallback = Answering(user => user.Contains("first", StringComparison.Ordinal) ? Replies.Remember(Fact, importance: 0.4) : Replies.Remember(Fact + " .", importance: 0.8));

        var first = await worker.RunAsync("first time", workspace: "farm", reflect: false);
        var second = await worker.RunAsync("second time", workspace: "farm", reflect: false);

        var all = await worker.Services.GetRequiredService<IMemoryStore>().ListAsync(workspace, null, 10, Ct);
        var memory = Assert.Single(all);
        Assert.Equal((0.8, first.TaskId), (memory.Importance, memory.TaskId));
        var merged = (await worker.EventsAsync(second.TaskId)).Single(e => e.EventType == EventTypes.MemoryStored).Payload;
        Assert.True(merged.GetProperty("merged").GetBoolean());
        Assert.Equal(memory.MemoryId, merged.GetProperty("memory_id").GetString());
        Assert.True(merged.GetProperty("similarity").GetDouble() >= 0.92);
    }

    [Theory]
    [MemberData(nameof(BothEmbedders.Names), MemberType = typeof(BothEmbedders))]
    public async Task AForgottenMemoryIsNotRecalledAgain(string embedder)
    {
        await using var worker = await WorkerHarness.StartAsync(BothEmbedders.With(embedder, Recall));
        worker.Workspace("farm");
        worker.Ollama.Fallback = Answering(user => user.Contains("remember", StringComparison.Ordinal) ? Replies.Remember(Fact) : Replies.NothingToRemember);
        var first = await worker.RunAsync("remember where the ducks sleep", workspace: "farm", reflect: false);
        var memoryId = (await worker.EventsAsync(first.TaskId)).Single(e => e.EventType == EventTypes.MemoryStored).Payload.GetProperty("memory_id").GetString()!;

        Assert.True(await worker.Services.GetRequiredService<IMemoryStore>().DeleteAsync(memoryId, Ct));
        var after = await worker.RunAsync("do the ducks sleep in the shed", workspace: "farm", reflect: false);

        Assert.Equal(0, (await RecalledAsync(worker, after.TaskId)).GetProperty("memories").GetArrayLength());
        Assert.DoesNotContain("blue shed", SystemPromptOf(worker, "do the ducks sleep in the shed"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutEmbeddingsAMemoryIsStoredWithoutAVectorAndRecallFallsBackToImportance()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Ollama:MaxRetries"] = "0" });
        worker.Workspace("farm");
        worker.Ollama.EmbedFailure = 503;
        worker.Ollama.Fallback = Answering(user =>
            user.Contains("minor", StringComparison.Ordinal) ? Replies.Remember("the pond is small", importance: 0.2)
            : user.Contains("major", StringComparison.Ordinal) ? Replies.Remember("never feed the ducks chocolate", importance: 0.9)
            : Replies.NothingToRemember);

        var minor = await worker.RunAsync("a minor detail", workspace: "farm", reflect: false);
        await worker.RunAsync("a major rule", workspace: "farm", reflect: false);
        var next = await worker.RunAsync("what should I know", workspace: "farm", reflect: false);

        var events = await worker.EventsAsync(minor.TaskId);
        var failed = events.Single(e => e.EventType == EventTypes.EmbeddingFailed).Payload;
        Assert.Equal("memory", failed.GetProperty("kind").GetString());
        Assert.Contains("embedding model", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(AgentTaskStatus.Completed, minor.Status);
        var stored = await worker.Services.GetRequiredService<IMemoryStore>().GetAsync(failed.GetProperty("id").GetString()!, Ct);
        Assert.Null(stored!.Embedding);
        var recalled = await RecalledAsync(worker, next.TaskId);
        Assert.Contains("embedding model", recalled.GetProperty("fallback").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, recalled.GetProperty("memories").GetArrayLength());
        var prompt = SystemPromptOf(worker, "what should I know");
        Assert.True(prompt.IndexOf("chocolate", StringComparison.Ordinal) < prompt.IndexOf("pond is small", StringComparison.Ordinal), "the more important memory comes first");
    }

    [Theory]
    [MemberData(nameof(BothEmbedders.Names), MemberType = typeof(BothEmbedders))]
    public async Task AReusableLessonIsRecalledIntoARelatedTask(string embedder)
    {
        await using var worker = await WorkerHarness.StartAsync(BothEmbedders.With(embedder, Recall));
        worker.Workspace("farm");
        var lesson = "read the feeding schedule before you feed the ducks";
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Critic
            ? OllamaReply.Json(new { summary = "Fed the ducks.", outcome = "success", reusable_lesson = lesson })
            : Answering()(chat);

        var first = await worker.RunAsync("feed the ducks", workspace: "farm");
        var second = await worker.RunAsync("feed the ducks their bread", workspace: "farm", reflect: false);

        var recordId = (await worker.EventsAsync(first.TaskId)).Single(e => e.EventType == EventTypes.ReflectionCompleted).Payload.GetProperty("record_id").GetString();
        var lessons = (await RecalledAsync(worker, second.TaskId)).GetProperty("lessons");
        Assert.Equal(recordId, Assert.Single(lessons.EnumerateArray()).GetProperty("record_id").GetString());
        Assert.Contains($"Lessons from earlier tasks:\n- {lesson}", SystemPromptOf(worker, "feed the ducks their bread"), StringComparison.Ordinal);
    }
}
