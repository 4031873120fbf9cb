using DuckWorker.Embeddings;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;
using DuckWorker.Tests.Cli;
using Microsoft.Extensions.AI;

namespace DuckWorker.Tests.Embeddings;

public sealed class TheEmbedderIsChosenByConfiguration
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IEmbeddingGenerator<string, Embedding<float>> RoleGenerator(WorkerHarness worker) =>
        worker.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(ModelRoles.Embedding);

    [Fact]
    public async Task TheWorkerEmbedsThroughOllamaUnlessToldOtherwise()
    {
        await using var worker = await WorkerHarness.StartAsync();

        var (vector, _) = await worker.Services.GetRequiredService<Embedder>().TryEmbedAsync("ducks", Ct);

        Assert.Equal(EmbedderOptions.Ollama, worker.Option<EmbedderOptions>().Embedder);
        Assert.IsNotType<LocalEmbeddingGenerator>(RoleGenerator(worker));
        Assert.Equal(DeterministicEmbedding.Dimensions, vector!.Length);
        Assert.Equal("embedding-model", Assert.Single(worker.Ollama.Embeds).Model);
        Assert.Equal("ollama/embedding-model", worker.Services.GetRequiredService<Embedder>().Name);
    }

    [Fact]
    public async Task LocalEmbedsInTheProcessWithoutCallingOllama()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Memory:Embedder"] = "Local" });
        worker.Ollama.EmbedFailure = 404;

        var (vector, error) = await worker.Services.GetRequiredService<Embedder>().TryEmbedAsync("ducks", Ct);

        Assert.Null(error);
        Assert.IsType<LocalEmbeddingGenerator>(RoleGenerator(worker));
        Assert.Equal(LocalEmbeddingGenerator.Dimensions, vector!.Length);
        Assert.Empty(worker.Ollama.Embeds);
        Assert.Equal("local/all-MiniLM-L6-v2", worker.Services.GetRequiredService<Embedder>().Name);
    }

    [Theory]
    [InlineData(null, LocalEmbeddingGenerator.Dimensions, "local/all-MiniLM-L6-v2")]
    [InlineData("ollama", DeterministicEmbedding.Dimensions, "ollama/embedding-model")]
    public async Task DuckRunEmbedsInTheProcessUnlessConfiguredOtherwise(string? embedder, int dimensions, string embeddedBy)
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Memory
            ? Replies.Remember("ducks like peas", "global", 0.6)
            : Replies.Answering(chat);
        var settings = new Dictionary<string, string?>(worker.Settings);
        if (embedder is not null)
        {
            settings["Memory:Embedder"] = embedder;
        }

        var (exit, _, errors) = await Duck.RunAsync(settings, "", "run", "what do ducks like", "--no-reflect");

        Assert.True(exit == 0, errors);
        var memory = Assert.Single(await worker.Services.GetRequiredService<IMemoryStore>().ListAsync("", null, 10, Ct));
        Assert.Equal((dimensions, embeddedBy), (memory.Embedding!.Length, memory.EmbeddedBy));
        Assert.Equal(embedder is null, worker.Ollama.Embeds.Count == 0);
    }

    [Theory]
    [InlineData("ollama", true)]
    [InlineData("local", false)]
    public async Task TheEmbeddingModelIsReportedMissingOnlyWhileOllamaEmbeds(string embedder, bool reported)
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Memory:Embedder"] = embedder });
        worker.Ollama.Models = [.. WorkerHarness.Models.Select(m => m.Model).Where(m => m != "embedding-model")];

        var missing = await worker.Services.GetRequiredService<Health.ModelInventory>().FindMissingAsync(Ct);

        Assert.Equal(reported ? ["embedding-model"] : [], missing.Select(m => m.Model));
    }

    [Fact]
    public async Task TheModelIsSharedAndGivesEveryThreadTheVectorsOfOne()
    {
        using var first = new LocalEmbeddingGenerator();
        using var second = new LocalEmbeddingGenerator();
        string[] texts = ["The deploy password is rotated every Thursday.", "On which weekday do we change credentials?", "Octopuses have three hearts."];
        var alone = await first.GenerateAsync(texts, cancellationToken: Ct);

        var together = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => (i % 2 == 0 ? first : second).GenerateAsync([texts[i % texts.Length]], cancellationToken: Ct)));

        Assert.All(together.Select((e, i) => (e, i)), each => Assert.Equal(alone[each.i % texts.Length].Vector.ToArray(), Assert.Single(each.e).Vector.ToArray()));
        var similar = Cosine(alone[0], alone[1]);
        var unrelated = Cosine(alone[0], alone[2]);
        Assert.True(similar > unrelated + 0.3, $"similar {similar}, unrelated {unrelated}");
        Assert.Equal(LocalEmbeddingGenerator.ModelId, first.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task ACancelledEncodingIsACancellationNotAFailedModel()
    {
        using var local = new LocalEmbeddingGenerator();
        await local.GenerateAsync(["loads the model"], cancellationToken: Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var texts = Enumerable.Range(0, 500).Select(i => $"Paragraph {i}: the ducks were fed at dawn, swam to the north shore and slept in the blue shed until the bread came.");

        // Long enough that the stop comes while the model computes, which ONNX Runtime ends with an error of its own.
        stop.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => local.GenerateAsync(texts, cancellationToken: stop.Token));
    }

    private static float Cosine(Embedding<float> a, Embedding<float> b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a.Vector.Span, b.Vector.Span);
}
