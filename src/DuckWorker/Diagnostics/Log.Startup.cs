using Microsoft.Extensions.Logging;

namespace DuckWorker.Diagnostics;

/// <summary>What the host says as it starts (event ids 5000–5099).</summary>
internal static partial class Log
{
    [LoggerMessage(5001, LogLevel.Information, "Starting with store: {Store}; workspace root: {WorkspaceRoot}; models: {Models}; broker: {Broker}; health port: {HealthPort}; sandbox: {Sandbox}")]
    public static partial void StartingWith(this ILogger logger, string store, string workspaceRoot, string models, string broker, string healthPort, string sandbox);

    [LoggerMessage(5002, LogLevel.Warning, "Ollama at {BaseUrl} lacks the model {Missing}; tasks that need it fail until it is pulled")]
    public static partial void ModelMissing(this ILogger logger, Uri baseUrl, string missing);

    [LoggerMessage(5003, LogLevel.Warning, "The models could not be checked: Ollama does not answer at {BaseUrl} (Ollama:BaseUrl): {Error}")]
    public static partial void ModelsUnchecked(this ILogger logger, Uri baseUrl, string error);

    [LoggerMessage(5004, LogLevel.Debug, "Recall is ready: the store loaded its memories for recall in {Milliseconds:0} ms")]
    public static partial void RecallWarmedUp(this ILogger logger, double milliseconds);

    [LoggerMessage(5005, LogLevel.Debug, "Recall was not prepared at start ({Reason}); the first job's recall prepares it")]
    public static partial void RecallNotWarmedUp(this ILogger logger, string reason);
}
