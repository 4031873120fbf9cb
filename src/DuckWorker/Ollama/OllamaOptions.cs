namespace DuckWorker.Ollama;

/// <summary>The <c>Ollama</c> section: the server and, per model role, the model and its options.</summary>
public sealed class OllamaOptions
{
    public const string Section = "Ollama";

    public Uri? BaseUrl { get; set; } = new("http://localhost:11434");

    public Dictionary<string, OllamaRoleOptions> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Retries of a model call that failed transiently (unreachable, 5xx, timeout), with exponential backoff.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first retry's delay; each further retry waits twice as long.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
