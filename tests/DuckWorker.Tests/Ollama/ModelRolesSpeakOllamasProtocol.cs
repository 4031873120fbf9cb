using System.Text.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;
using Microsoft.Extensions.AI;
using OllamaSharp;

namespace DuckWorker.Tests.Ollama;

public sealed class ModelRolesSpeakOllamasProtocol
{
    [Fact]
    public async Task EachRoleSendsItsModelOptionsAndTheJsonSchemaItMustAnswerWith()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Ollama:Roles:action:Temperature"] = "0",
            ["Ollama:Roles:action:NumCtx"] = "8192",
            ["Ollama:Roles:action:KeepAlive"] = "30m",
            ["Ollama:Roles:thinker:Think"] = "high",
        });
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("hi"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember)
            .Script(WorkerHarness.Critic, OllamaReply.Json(new { summary = "s", outcome = "success", reusable_lesson = (string?)null }));

        await worker.RunAsync("hello");

        var chats = worker.Ollama.Chats.ToDictionary(c => c.Model);
        var action = chats[WorkerHarness.Action];
        Assert.Equal(JsonValueKind.Object, action.Format!.Value.ValueKind);
        Assert.Equal("array", action.Format.Value.GetProperty("properties").GetProperty("actions").GetProperty("type").GetString());
        Assert.Equal(0, action.Options!.Value.GetProperty("temperature").GetDouble());
        Assert.Equal(8192, action.Options.Value.GetProperty("num_ctx").GetInt32());
        Assert.Equal("30m", action.KeepAlive);
        Assert.Contains("fs_read", action.Messages[0].Content, StringComparison.Ordinal);
        Assert.True(chats[WorkerHarness.Memory].Format!.Value.GetProperty("properties").TryGetProperty("should_store", out _));
        Assert.True(chats[WorkerHarness.Critic].Format!.Value.GetProperty("properties").TryGetProperty("reusable_lesson", out _));
        var thinker = chats[WorkerHarness.Thinker];
        Assert.Null(thinker.Format);
        Assert.Equal("high", thinker.Think!.Value.GetString());
        Assert.False(thinker.Stream);
    }

    [Theory]
    [InlineData(ReasoningMode.On, null, "true")]
    [InlineData(ReasoningMode.Off, null, "false")]
    [InlineData(ReasoningMode.On, "low", "\"low\"")]
    [InlineData(ReasoningMode.Off, "high", "false")]
    public async Task AJobsReasoningRequestDecidesThinkersThink(ReasoningMode reasoning, string? configured, string expected)
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Ollama:Roles:thinker:Think"] = configured });
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("hi"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        await worker.RunAsync("hello", reflect: false, reasoning: reasoning);

        var thinker = worker.Ollama.Chats.Single(c => c.Model == WorkerHarness.Thinker);
        Assert.Equal(expected, thinker.Think!.Value.GetRawText());
        Assert.Null(worker.Ollama.Chats.Single(c => c.Model == WorkerHarness.Action).Think);
    }

    [Fact]
    public async Task ReasoningInThinkTagsIsSeparatedFromTheAnswer()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("<think>\nLet me count.\n</think>\n\nThree."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("how many?", reflect: false);

        Assert.Equal("Three.", result.FinalResponse);
        Assert.Equal("Let me count.", result.ReasoningContent);
    }

    [Fact]
    public async Task TheTestServerStreamsChatEmbedsAndListsModelsInOllamasWireFormat()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await OllamaTestServer.StartAsync(ct);
        server.Models = ["m1", "m2"];
        server.Script("m1", OllamaReply.Text("streamed answer", thinking: "pondering"));
        using var ollama = new OllamaApiClient(new HttpClient { BaseAddress = server.BaseUrl });
        IChatClient chat = ollama;

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "m1" }, ct))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        Assert.True(updates.Count >= 3);
        Assert.Equal("streamed answer", response.Text);
        Assert.Equal("pondering", string.Concat(response.Messages.SelectMany(m => m.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal(18, response.Usage!.TotalTokenCount);
        Assert.True(server.Chats.Single().Stream);

        IEmbeddingGenerator<string, Embedding<float>> embedder = ollama;
        var embeddings = await embedder.GenerateAsync(["ducks like bread", "ducks like bread", "tax law of 1920"], new EmbeddingGenerationOptions { ModelId = "e" }, ct);
        Assert.Equal(DeterministicEmbedding.Dimensions, embeddings[0].Vector.Length);
        Assert.Equal(embeddings[0].Vector.ToArray(), embeddings[1].Vector.ToArray());
        Assert.True(Similarity(embeddings[0], embeddings[1]) > 0.99);
        Assert.True(Similarity(embeddings[0], embeddings[2]) < 0.3);

        Assert.Equal(["m1", "m2"], (await ollama.ListLocalModelsAsync(ct)).Select(m => m.Name));
        Assert.Equal("0.12.6", (await ollama.GetVersionAsync(ct)).ToString());
    }

    [Fact]
    public async Task TheTestServerHoldsEveryAnswerForItsFixedLatency()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await OllamaTestServer.StartAsync(ct);
        server.Script("m", OllamaReply.Text("on time"), OllamaReply.Text("late"));
        IChatClient chat = new OllamaApiClient(new HttpClient { BaseAddress = server.BaseUrl });
        ChatMessage[] hi = [new(ChatRole.User, "hi")];

        Assert.Equal("on time", (await chat.GetResponseAsync(hi, new ChatOptions { ModelId = "m" }, ct)).Text);
        server.Latency = TimeSpan.FromMinutes(1);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chat.GetResponseAsync(hi, new ChatOptions { ModelId = "m" }, patience.Token));
    }

    private static double Similarity(Embedding<float> a, Embedding<float> b) =>
        a.Vector.ToArray().Zip(b.Vector.ToArray(), (x, y) => (double)x * y).Sum();
}
