using DuckWorker.Mongo.Diagnostics;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

/// <summary>
/// Finds the documents whose vector is closest to a query. With <c>Mongo:VectorIndex</c> set, it asks Atlas
/// <c>$vectorSearch</c>; where that stage is not available (a server that is not Atlas, an index that does not
/// exist), it says so once and ranks in process instead: the newest <see cref="MaxCandidates"/> vectors that
/// match the filter, scored by cosine similarity.
/// </summary>
internal sealed class MongoVectorSearch(IOptions<MongoOptions> options, ILogger<MongoVectorSearch> logger)
{
    /// <summary>Bounds the in-process ranking: beyond it, the oldest memories are not considered.</summary>
    public const int MaxCandidates = 10_000;

    private volatile bool atlasUnavailable;

    public async Task<List<(BsonDocument Document, double Score)>> TopAsync(
        IMongoCollection<BsonDocument> collection,
        string field,
        FilterDefinition<BsonDocument> filter,
        ReadOnlyMemory<float> query,
        int limit,
        double minScore,
        CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var index = options.Value.VectorIndex;
        if (!string.IsNullOrEmpty(index) && !atlasUnavailable)
        {
            try
            {
                return await AtlasAsync(collection, index, field, filter, query, limit, minScore, cancellationToken);
            }
            catch (MongoCommandException ex)
            {
                atlasUnavailable = true;
                logger.VectorSearchUnavailable(index, ex.Message);
            }
        }

        return await InProcessAsync(collection, field, filter, query, limit, minScore, cancellationToken);
    }

    private static async Task<List<(BsonDocument, double)>> AtlasAsync(
        IMongoCollection<BsonDocument> collection,
        string index,
        string field,
        FilterDefinition<BsonDocument> filter,
        ReadOnlyMemory<float> query,
        int limit,
        double minScore,
        CancellationToken cancellationToken)
    {
        var rendered = filter.Render(new RenderArgs<BsonDocument>(collection.DocumentSerializer, collection.Settings.SerializerRegistry));
        var search = new BsonDocument("$vectorSearch", new BsonDocument
        {
            { "index", index },
            { "path", field },
            { "queryVector", new BsonArray(query.ToArray().Select(v => (double)v)) },
            { "numCandidates", Math.Min(limit * 20, MaxCandidates) },
            { "limit", limit },
            { "filter", rendered },
        });
        var score = new BsonDocument("$addFields", new BsonDocument("duckScore", new BsonDocument("$meta", "vectorSearchScore")));
        var found = await collection.Aggregate<BsonDocument>(new[] { search, score }, cancellationToken: cancellationToken).ToListAsync(cancellationToken);
        // Atlas scores a cosine index as (1 + cosine) / 2; the ports speak cosine.
        return [.. found
            .Select(document => (Document: document, Score: (2 * document["duckScore"].ToDouble()) - 1))
            .Where(hit => hit.Score >= minScore)
            .Select(hit => { hit.Document.Remove("duckScore"); return (hit.Document, hit.Score); })];
    }

    private static async Task<List<(BsonDocument, double)>> InProcessAsync(
        IMongoCollection<BsonDocument> collection,
        string field,
        FilterDefinition<BsonDocument> filter,
        ReadOnlyMemory<float> query,
        int limit,
        double minScore,
        CancellationToken cancellationToken)
    {
        var candidates = await collection
            .Find(filter & Builders<BsonDocument>.Filter.Exists(field))
            .Project(Builders<BsonDocument>.Projection.Include("_id").Include(field))
            .Sort(Builders<BsonDocument>.Sort.Descending("_id"))
            .Limit(MaxCandidates)
            .ToListAsync(cancellationToken);
        // A vector of another dimension was made by another model: it is not a candidate at any score.
        var best = candidates
            .Select(c => (Id: c["_id"], Vector: c.Vector(field)!))
            .Where(c => c.Vector.Length == query.Length)
            .Select(c => (c.Id, Score: Vectors.Similarity(c.Vector, query.Span)))
            .Where(c => c.Score >= minScore)
            .OrderByDescending(c => c.Score)
            .Take(limit)
            .ToList();
        if (best.Count == 0)
        {
            return [];
        }

        var documents = await collection.Find(Builders<BsonDocument>.Filter.In("_id", best.Select(b => b.Id))).ToListAsync(cancellationToken);
        var byId = documents.ToDictionary(d => d["_id"]);
        return [.. best.Where(b => byId.ContainsKey(b.Id)).Select(b => (byId[b.Id], b.Score))];
    }
}
