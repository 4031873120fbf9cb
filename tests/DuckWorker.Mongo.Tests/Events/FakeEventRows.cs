using MongoDB.Bson;

namespace DuckWorker.Mongo.Tests.Events;

/// <summary>
/// The events collection as a model: an insert is visible at once and whole, the unique (taskId, seq) and _id
/// are enforced, and every call gives way to other tasks before and after it acts, as a round trip would.
/// </summary>
internal sealed class FakeEventRows : IEventRows
{
    private readonly Lock gate = new();
    private readonly List<BsonDocument> rows = [];

    /// <summary>Called after an insert landed, before its answer: throwing here is an answer lost on the way.</summary>
    public Action<long>? AfterInsert { get; set; }

    public int LastSeqCalls { get; private set; }

    public async Task<long> LastSeqAsync(string taskId, CancellationToken cancellationToken)
    {
        await Travel(cancellationToken);
        long last;
        lock (gate)
        {
            LastSeqCalls++;
            last = rows.Where(row => row["taskId"] == taskId).Select(row => row["seq"].ToInt64()).DefaultIfEmpty(0).Max();
        }

        await Travel(CancellationToken.None);
        return last;
    }

    public async Task<bool> TryInsertAsync(BsonDocument document, CancellationToken cancellationToken)
    {
        await Travel(cancellationToken);
        var seq = document["seq"].ToInt64();
        lock (gate)
        {
            if (rows.Any(row => row["_id"] == document["_id"] || (row["taskId"] == document["taskId"] && row["seq"].ToInt64() == seq)))
            {
                return false;
            }

            rows.Add(document.DeepClone().AsBsonDocument);
        }

        AfterInsert?.Invoke(seq);
        await Travel(CancellationToken.None);
        return true;
    }

    public async Task<long?> SeqOfAsync(BsonValue id, CancellationToken cancellationToken)
    {
        await Travel(cancellationToken);
        lock (gate)
        {
            return rows.FirstOrDefault(row => row["_id"] == id)?["seq"].ToInt64();
        }
    }

    /// <summary>What a reader tailing the log with <c>seq &gt; afterSeq</c> gets now, in seq order.</summary>
    public List<long> ReadAfter(string taskId, long afterSeq)
    {
        lock (gate)
        {
            return [.. rows.Where(row => row["taskId"] == taskId).Select(row => row["seq"].ToInt64()).Where(seq => seq > afterSeq).Order()];
        }
    }

    private static async Task Travel(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Random.Shared.Next(3) == 0)
        {
            await Task.Delay(Random.Shared.Next(2), cancellationToken);
        }
        else
        {
            await Task.Yield();
        }
    }
}
