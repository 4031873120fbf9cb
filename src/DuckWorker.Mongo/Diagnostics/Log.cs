using Microsoft.Extensions.Logging;

namespace DuckWorker.Mongo.Diagnostics;

/// <summary>The MongoDB adapter's log messages (event ids 4000–4999).</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "MongoDB store ready: database {Database} at {Servers}, indexes in place")]
    public static partial void StoreReady(this ILogger logger, string database, string servers);

    [LoggerMessage(4010, LogLevel.Warning, "Event {Seq} of task {TaskId} was not stored yet ({Error}); trying again with the same seq")]
    public static partial void EventInsertRetried(this ILogger logger, string taskId, long seq, string error);

    [LoggerMessage(4011, LogLevel.Error, "Event {Seq} of task {TaskId} could not be stored after its seq was taken ({Error}); the task's log has a gap at {Seq}")]
    public static partial void EventSeqLost(this ILogger logger, string taskId, long seq, string error);

    [LoggerMessage(4020, LogLevel.Warning, "Atlas vector search with index {Index} (Mongo:VectorIndex) is not available ({Error}); memories are ranked in process")]
    public static partial void VectorSearchUnavailable(this ILogger logger, string index, string error);
}
