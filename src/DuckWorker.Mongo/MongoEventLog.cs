using System.Runtime.CompilerServices;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

/// <summary>
/// The event log on the events collection. Seqs are handed out by <see cref="EventSequencer"/>: each event is
/// inserted under the last stored seq plus one, the unique <c>(taskId, seq)</c> index refusing a seq taken
/// meanwhile, so seqs have no gap and become visible only in order, however many workers append to one task.
/// </summary>
internal sealed class MongoEventLog(MongoStore store, TimeProvider time, ILogger<MongoEventLog> logger) : IEventLog
{
    private readonly EventSequencer sequencer = new(new MongoEventRows(store), time, logger);

    public async Task<IReadOnlyList<TaskEvent>> AppendAsync(string taskId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        // Converted and measured first: a payload one document cannot hold is refused before anything is stored.
        var documents = new List<(TaskEvent Entry, BsonDocument Document)>(events.Count);
        foreach (var (eventType, payload) in events)
        {
            var entry = new TaskEvent(taskId, 0, eventType, payload.Clone(), BsonFields.Stored(time.GetUtcNow()));
            var document = EventMapping.ToDocument(ObjectId.GenerateNewId(), entry, JsonBson.ToBson(payload));
            DocumentLimits.Check(document, $"The payload of event '{eventType}' of task {taskId}");
            documents.Add((entry, document));
        }

        // One at a time: each seq is the last stored one plus one, so an event is stored only after those before it.
        var appended = new List<TaskEvent>(documents.Count);
        foreach (var (entry, document) in documents)
        {
            var seq = await store.RunAsync(() => sequencer.AppendAsync(document, cancellationToken), cancellationToken);
            appended.Add(entry with { Seq = seq });
        }

        return appended;
    }

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
}
