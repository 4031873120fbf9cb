using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Embeddings;

/// <summary>
/// The promise on a fresh machine: Ollama has no embedding model (every embed call would fail), and with
/// <c>Memory:Embedder = local</c> a job still recalls a fact that an earlier job stored, asked in other words.
/// </summary>
public sealed class AJobRecallsAFactAskedInOtherWordsWithoutAnOllamaEmbeddingModel
{
    private const string Fact = "The deploy password is rotated every Thursday.";

    [Fact]
    public async Task TheLaterJobRecallsTheFactAndAnUnrelatedJobDoesNot()
    {
        // Memory:MinScore keeps its default: the paraphrase must be close in meaning, not merely the closest.
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Memory:Embedder"] = "local" });
        worker.Workspace("ops");
        worker.Ollama.EmbedFailure = 404;
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Memory && chat.Messages[^1].Content.Contains("remember", StringComparison.Ordinal)
            ? Replies.Remember(Fact)
            : Replies.Answering(chat);

        var first = await worker.RunAsync("please remember that we rotate the deploy password on Thursdays", workspace: "ops", reflect: false);
        var asked = await worker.RunAsync("On which weekday do we change credentials?", workspace: "ops", reflect: false);
        var unrelated = await worker.RunAsync("What is the capital of France?", workspace: "ops", reflect: false);

        var stored = (await worker.EventsAsync(first.TaskId)).Single(e => e.EventType == EventTypes.MemoryStored).Payload;
        var recalled = (await worker.EventsAsync(asked.TaskId)).Single(e => e.EventType == EventTypes.MemoryRecalled).Payload;
        Assert.Equal(AgentTaskStatus.Completed, asked.Status);
        Assert.Equal(stored.GetProperty("memory_id").GetString(), Assert.Single(recalled.GetProperty("memories").EnumerateArray()).GetProperty("memory_id").GetString());
        Assert.False(recalled.TryGetProperty("fallback", out var fallback) && fallback.ValueKind == System.Text.Json.JsonValueKind.String, "recall used a vector");
        var nothing = (await worker.EventsAsync(unrelated.TaskId)).Single(e => e.EventType == EventTypes.MemoryRecalled).Payload;
        Assert.Equal(0, nothing.GetProperty("memories").GetArrayLength());
        Assert.Empty(worker.Ollama.Embeds);
    }
}
