namespace DuckWorker.Embeddings;

/// <summary><c>Memory:Embedder</c>: which model turns memories, lessons and questions into vectors.</summary>
public sealed class EmbedderOptions
{
    public const string Section = "Memory";

    /// <summary>The <c>embedding</c> role's model, through Ollama.</summary>
    public const string Ollama = "ollama";

    /// <summary>all-MiniLM-L6-v2 in this process: no server, no download.</summary>
    public const string Local = "local";

    public static readonly IReadOnlyList<string> Allowed = [Ollama, Local];

    public string Embedder { get; set; } = Ollama;

    public bool IsLocal => string.Equals(Embedder, Local, StringComparison.OrdinalIgnoreCase);
}
