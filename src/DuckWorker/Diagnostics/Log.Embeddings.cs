using Microsoft.Extensions.Logging;

namespace DuckWorker.Diagnostics;

/// <summary>What the embedders say (event ids 5900–5949).</summary>
internal static partial class Log
{
    [LoggerMessage(5900, LogLevel.Warning, "Ollama has no embedding model {Model} (Ollama:Roles:embedding:Model); this process embeds with the in-process {LocalModel} instead (Memory:Embedder=local), whose vectors do not compare with the other's. Pull the model and restart to embed through Ollama again")]
    public static partial void EmbeddingFallsBackToLocal(this ILogger logger, string model, string localModel);

    [LoggerMessage(5901, LogLevel.Warning, "{Memories} memories and {Lessons} lessons have no vector of {Embedder}, this worker's embedder (Memory:Embedder): another embedder made theirs, or none did, so recall does not find them. Run `duck memories reembed` to give them one")]
    public static partial void VectorsOfAnotherEmbedder(this ILogger logger, int memories, int lessons, string embedder);

    [LoggerMessage(5902, LogLevel.Debug, "The memories without a vector of this worker's embedder were not counted: {Reason}")]
    public static partial void VectorsUncounted(this ILogger logger, string reason);
}
