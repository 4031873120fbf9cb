namespace DuckWorker.Runtime.Stores;

/// <summary>
/// How a stored vector names the embedder that made it: its provider and model, such as
/// <c>local/all-MiniLM-L6-v2</c> or <c>ollama/nomic-embed-text</c>. Vectors of different embedders (or
/// dimensions) mean nothing to each other, so a search compares only those of the asking embedder.
/// </summary>
public static class EmbedderName
{
    /// <summary>
    /// The embedder of a vector stored before vectors named theirs. No search asks for it, so such a vector is
    /// not recalled until <c>duck memories reembed</c> replaces it.
    /// </summary>
    public const string Unknown = "unknown";

    public static string Of(string? provider, string? model) =>
        $"{(string.IsNullOrWhiteSpace(provider) ? Unknown : provider)}/{(string.IsNullOrWhiteSpace(model) ? Unknown : model)}";
}
