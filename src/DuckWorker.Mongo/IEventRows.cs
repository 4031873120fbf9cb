using MongoDB.Bson;

namespace DuckWorker.Mongo;

/// <summary>The two operations of the events collection that <see cref="EventSequencer"/> numbers events with, and the look-up that recognises its own landed insert.</summary>
internal interface IEventRows
{
    /// <summary>The highest seq stored for the task, 0 when it has no event.</summary>
    Task<long> LastSeqAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Inserts the event; false when its <c>(taskId, seq)</c> or its <c>_id</c> is stored already.</summary>
    Task<bool> TryInsertAsync(BsonDocument document, CancellationToken cancellationToken);

    /// <summary>The seq of the event stored under <paramref name="id"/>, null when there is none.</summary>
    Task<long?> SeqOfAsync(BsonValue id, CancellationToken cancellationToken);
}
