namespace DuckWorker.Tests.Embeddings;

/// <summary>Each embedder's figures, measured once for the tests that read them: every text is encoded once.</summary>
public sealed class RecallQualityFixture : IAsyncLifetime
{
    internal RecallQuality Local { get; private set; } = null!;

    internal RecallQuality WordHashing { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Local = await RecallQuality.MeasureAsync("local (all-MiniLM-L6-v2)", "local", TestContext.Current.CancellationToken);

        // The Ollama test server embeds by hashing words (DeterministicEmbedding), as every other test does.
        WordHashing = await RecallQuality.MeasureAsync("word hashing", "ollama", TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
