using MongoDB.Bson;

namespace DuckWorker.Mongo;

/// <summary>
/// The best <c>limit</c> of a stream of scored ids, none below a minimum, in memory bounded by the limit however
/// long the stream: a min-heap whose root is the worst kept, replaced when a better one comes.
/// </summary>
internal sealed class VectorTopK(int limit, double minScore)
{
    private readonly PriorityQueue<BsonValue, double> best = new();

    public void Offer(BsonValue id, double score)
    {
        if (score < minScore || limit <= 0 || (best.Count == limit && best.TryPeek(out _, out var worst) && score <= worst))
        {
            return;
        }

        if (best.Count < limit)
        {
            best.Enqueue(id, score);
        }
        else
        {
            best.DequeueEnqueue(id, score);
        }
    }

    /// <summary>The kept ids, best first.</summary>
    public List<(BsonValue Id, double Score)> Ranked()
    {
        var ranked = best.UnorderedItems.Select(item => (Id: item.Element, Score: item.Priority)).ToList();
        ranked.Sort((a, b) => b.Score.CompareTo(a.Score));
        return ranked;
    }
}
