using System.Runtime.CompilerServices;
using System.Text.Json;
using DuckWorker.Mongo.Diagnostics;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

/// <summary>
/// The event log on two collections: a counter document per task (<c>{_id: taskId, lastSeq}</c>) hands out
/// seqs with an atomic <c>$inc</c>, then the event is inserted under the seq it got. However many workers
/// append to one task at once, each seq goes to exactly one append; the unique <c>(taskId, seq)</c> index is
/// the guard, and a duplicate key there is a bug, never a reason to retry.
/// </summary>
/// <remarks>
/// A seq is taken before its event is written, so a gap appears if the insert never lands: the process dies
/// between the two writes, or the server stays unreachable for the whole <see cref="InsertDeadline"/> (logged
/// as an error naming the seq). Concurrency never makes one. A multi-document transaction would close that window,
/// but needs a replica set and turns every concurrent append to one task into a write conflict to retry;
/// instead the insert is retried with the same seq and the same <c>_id</c>, so an insert that landed
/// although its answer was lost is recognised rather than repeated.
/// </remarks>
internal sealed class MongoEventLog(MongoStore store, TimeProvider time, ILogger<MongoEventLog> logger) : IEventLog
{
    private const string LastSeq = "lastSeq";
    private const int InsertAttempts = 4;
    private static readonly TimeSpan InsertRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the insert of an event whose seq is taken may take, retries included, whatever the caller's token says.</summary>
    private static readonly TimeSpan InsertDeadline = TimeSpan.FromSeconds(30);

    private static readonly FindOneAndUpdateOptions<BsonDocument> NextSeq = new() { IsUpsert = true, ReturnDocument = ReturnDocument.After };

    public Task<TaskEvent> AppendAsync(string taskId, string eventType, JsonElement payload, CancellationToken cancellationToken) =>
        store.RunAsync(async () =>
        {
            // Converted first: a payload BSON cannot hold is refused before it costs a seq.
            var stored = JsonBson.ToBson(payload);
            var seq = await TakeSeqAsync(taskId, cancellationToken);
            var entry = new TaskEvent(taskId, seq, eventType, payload.Clone(), BsonFields.Stored(time.GetUtcNow()));
            // Once the seq is taken the insert is finished even if the caller gives up (a cancelled append
            // leaves no gap), but within a deadline of its own: the driver's sockets have no timeout by default.
            using var deadline = new CancellationTokenSource(InsertDeadline, time);
            try
            {
                await InsertAsync(EventMapping.ToDocument(ObjectId.GenerateNewId(), entry, stored), entry, deadline.Token);
            }
            catch (Exception ex) when (MongoErrors.IsTransient(ex))
            {
                logger.EventSeqLost(taskId, seq, store.Reason(ex));
                throw;
            }
            catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
            {
                logger.EventSeqLost(taskId, seq, ex.Message);
                throw new StoreUnavailableException(
                    $"MongoDB at {store.Servers} (Mongo:ConnectionString) did not store event {seq} of task {taskId} within {InsertDeadline.TotalSeconds} s.", ex);
            }

            return entry;
        }, cancellationToken);

    public async IAsyncEnumerable<TaskEvent> ReadAsync(string taskId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = Builders<BsonDocument>.Filter.Eq(EventMapping.TaskId, taskId) & Builders<BsonDocument>.Filter.Gt(EventMapping.Seq, afterSeq);
        var options = new FindOptions<BsonDocument> { Sort = Builders<BsonDocument>.Sort.Ascending(EventMapping.Seq) };
        using var cursor = await store.RunAsync(() => store.Events.FindAsync(filter, options, cancellationToken), cancellationToken);
        while (await store.RunAsync(() => cursor.MoveNextAsync(cancellationToken), cancellationToken))
        {
            foreach (var document in cursor.Current)
            {
                yield return EventMapping.FromDocument(document);
            }
        }
    }

    private async Task<long> TakeSeqAsync(string taskId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var counter = await store.EventCounters.FindOneAndUpdateAsync(
                    Builders<BsonDocument>.Filter.Eq("_id", taskId),
                    Builders<BsonDocument>.Update.Inc(LastSeq, 1L),
                    NextSeq,
                    cancellationToken);
                return counter[LastSeq].ToInt64();
            }
            catch (MongoCommandException ex) when (ex.Code == MongoErrors.DuplicateKeyCode && attempt < 3)
            {
                // Two first appends to a task raced to create its counter and this one lost; the counter exists
                // now, and the next attempt increments it. (Servers since 4.2 mostly retry this themselves.)
            }
        }
    }

    private async Task InsertAsync(BsonDocument document, TaskEvent entry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.Events.InsertOneAsync(document, options: null, cancellationToken);
                return;
            }
            catch (MongoWriteException ex) when (MongoErrors.IsDuplicateKey(ex))
            {
                // After a lost answer the first attempt may have landed: then its _id is there, under this seq.
                if (attempt > 1 && await store.Events.Find(Builders<BsonDocument>.Filter.Eq("_id", document["_id"])).AnyAsync(cancellationToken))
                {
                    return;
                }

                throw new InvalidOperationException(
                    $"Event seq {entry.Seq} of task {entry.TaskId} was already taken: the event counter in {store.EventCounters.CollectionNamespace.CollectionName} is behind the log. This is a bug, not a race.",
                    ex);
            }
            catch (Exception ex) when (MongoErrors.IsTransient(ex) && attempt < InsertAttempts)
            {
                logger.EventInsertRetried(entry.TaskId, entry.Seq, store.Reason(ex));
                await Task.Delay(InsertRetryDelay * attempt, time, cancellationToken);
            }
        }
    }
}
