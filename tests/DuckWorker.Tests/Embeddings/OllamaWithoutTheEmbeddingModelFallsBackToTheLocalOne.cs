using DuckWorker.Embeddings;
using DuckWorker.Ollama;
using DuckWorker.Runtime.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Tests.Embeddings;

/// <summary><c>Memory:Embedder = ollama</c> on a machine whose Ollama has not pulled the embedding model.</summary>
public sealed class OllamaWithoutTheEmbeddingModelFallsBackToTheLocalOne
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheWorkerAsksOllamaOnceThenEmbedsInTheProcess()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.EmbedFailure = 404;
        var embedder = worker.Services.GetRequiredService<Embedder>();
        var before = embedder.Name;

        var first = await embedder.TryEmbedAsync("The deploy password is rotated every Thursday.", Ct);
        var second = await embedder.TryEmbedAsync("On which weekday do we change credentials?", Ct);

        Assert.Equal((LocalEmbeddingGenerator.Dimensions, LocalEmbeddingGenerator.Dimensions), (first.Vector?.Length, second.Vector?.Length));
        Assert.Equal((null, null), (first.Error, second.Error));
        Assert.Single(worker.Ollama.Embeds);
        Assert.Equal(("ollama/embedding-model", "local/all-MiniLM-L6-v2"), (before, embedder.Name));
    }

    [Fact]
    public async Task OllamaBeingDownIsNoReasonToSwitch()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Ollama:MaxRetries"] = "0" });
        worker.Ollama.EmbedFailure = 503;
        var embedder = worker.Services.GetRequiredService<Embedder>();

        var down = await embedder.TryEmbedAsync("ducks", Ct);
        worker.Ollama.EmbedFailure = null;
        var up = await embedder.TryEmbedAsync("ducks", Ct);

        Assert.Null(down.Vector);
        Assert.Equal(Testing.Ollama.DeterministicEmbedding.Dimensions, up.Vector!.Length);
    }

    [Fact]
    public async Task TheSwitchIsLoggedOnceNamingTheModel()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.EmbedFailure = 404;
        var logger = new RecordingLogger();
        using var generator = new LocalFallbackEmbeddingGenerator(
            worker.Services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(OllamaServiceCollectionExtensions.EmbeddingKey),
            new LocalEmbeddingGenerator(),
            logger);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => generator.GenerateAsync([$"text {i}"], cancellationToken: Ct)));
        await generator.GenerateAsync(["one more"], cancellationToken: Ct);

        var (level, id, message) = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Warning, 5900), (level, id));
        Assert.Contains("Ollama has no embedding model embedding-model", message, StringComparison.Ordinal);
        Assert.Contains("Memory:Embedder=local", message, StringComparison.Ordinal);
        Assert.Equal(LocalEmbeddingGenerator.ModelId, generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
    }

    private sealed class RecordingLogger : ILogger<LocalFallbackEmbeddingGenerator>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(LogLevel, int, string)> entries = new();

        public IReadOnlyList<(LogLevel Level, int Id, string Message)> Entries => [.. entries];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
    }
}
