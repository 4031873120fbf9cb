using DuckWorker.Embeddings;

namespace DuckWorker.Tests.Embeddings;

/// <summary>
/// The two values of <c>Memory:Embedder</c>, for memory tests that must hold with either: <c>ollama</c> is the test
/// server's word hashing, <c>local</c> the in-process model (loaded once per test process, shared by every test).
/// </summary>
internal static class BothEmbedders
{
    public static TheoryData<string> Names => [EmbedderOptions.Ollama, EmbedderOptions.Local];

    /// <summary><paramref name="settings"/> with <c>Memory:Embedder</c> set to <paramref name="embedder"/>.</summary>
    public static Dictionary<string, string?> With(string embedder, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(settings ?? new Dictionary<string, string?>()) { ["Memory:Embedder"] = embedder };
}
