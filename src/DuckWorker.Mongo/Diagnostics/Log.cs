using Microsoft.Extensions.Logging;

namespace DuckWorker.Mongo.Diagnostics;

/// <summary>The MongoDB adapter's log messages (event ids 4000–4999 and 6100–6199).</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "MongoDB store ready: database {Database} at {Servers}, indexes in place")]
    public static partial void StoreReady(this ILogger logger, string database, string servers);

    [LoggerMessage(4010, LogLevel.Warning, "Event {Seq} of task {TaskId} was not stored yet ({Error}); trying again")]
    public static partial void EventInsertRetried(this ILogger logger, string taskId, long seq, string error);

    [LoggerMessage(6100, LogLevel.Information, "Atlas vector search index {Index} (Mongo:VectorIndex) of collection {Collection} is ready; recall there uses $vectorSearch")]
    public static partial void VectorIndexReady(this ILogger logger, string index, string collection);

    [LoggerMessage(6101, LogLevel.Warning, "Atlas vector search with index {Index} (Mongo:VectorIndex) is not usable for collection {Collection} ({Problem}); ranking in process, asking again in {RetrySeconds} s")]
    public static partial void VectorSearchPaused(this ILogger logger, string index, string collection, string problem, double retrySeconds);
}
