using DuckWorker.Mongo.Diagnostics;
using DuckWorker.Mongo.Mapping;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;

namespace DuckWorker.Mongo;

/// <summary>
/// Numbers a task's events by inserting each under the last stored seq plus one; when another writer stored
/// that seq first, the unique <c>(taskId, seq)</c> index refuses the insert and the next seq is tried.
/// </summary>
/// <remarks>
/// A seq exists only as a stored event, so seqs become visible in order: seq N is inserted only after its writer
/// read N-1, and a reader tailing with <c>seq &gt; last</c> can never see N before N-1. Nothing is taken before the
/// insert, so a cancelled or failed append leaves no gap: either its event is stored or its seq goes to the next
/// writer. After a transient failure the insert may have landed although its answer was lost: the event's own
/// <c>_id</c> is looked up before it is sent again, so it is not stored twice.
/// </remarks>
internal sealed class EventSequencer(IEventRows rows, TimeProvider time, ILogger logger)
{
    private const int InsertAttempts = 4;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>Stores <paramref name="document"/> under the task's next seq, which it sets and returns.</summary>
    public async Task<long> AppendAsync(BsonDocument document, CancellationToken cancellationToken)
    {
        var taskId = document[EventMapping.TaskId].AsString;
        var id = document[EventMapping.Id];
        var failures = 0;
        while (true)
        {
            var seq = await rows.LastSeqAsync(taskId, cancellationToken) + 1;
            document[EventMapping.Seq] = seq;
            try
            {
                if (await rows.TryInsertAsync(document, cancellationToken))
                {
                    return seq;
                }
            }
            catch (Exception ex) when (MongoErrors.IsTransient(ex) && ++failures < InsertAttempts)
            {
                logger.EventInsertRetried(taskId, seq, ex.Message);
                await Task.Delay(RetryDelay * failures, time, cancellationToken);
            }

            if (failures > 0 && await rows.SeqOfAsync(id, cancellationToken) is { } landed)
            {
                return landed;
            }
        }
    }
}
