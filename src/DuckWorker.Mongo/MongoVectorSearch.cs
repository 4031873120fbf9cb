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
/// <c>$vectorSearch</c> once the index is known to exist and be queryable; while it is not, or after a
/// failure (see <see cref="AtlasAvailability"/>), it ranks in process: every vector that matches the filter,
/// streamed through a cursor, scored by cosine similarity, the best kept in a bounded heap.
/// </summary>
internal sealed class MongoVectorSearch(IOptions<MongoOptions> options, TimeProvider time, ILogger<MongoVectorSearch> logger)
{
    /// <summary>Atlas's largest <c>numCandidates</c>, and so the largest limit it answers.</summary>
    public const int MaxCandidates = 10_000;

    private const string ScoreField = "duckScore";

    private readonly AtlasAvailability availability = new(time);

    /// <summary>
    /// The best <paramref name="limit"/> documents of <paramref name="collection"/> by <paramref name="field"/>.
    /// <paramref name="indexedFilter"/> may only name fields the Atlas index declares as filter fields;
    /// <paramref name="otherFilter"/> is applied after the search.
    /// </summary>
    public async Task<List<(BsonDocument Document, double Score)>> TopAsync(
        IMongoCollection<BsonDocument> collection,
        string field,
        FilterDefinition<BsonDocument>? indexedFilter,
        FilterDefinition<BsonDocument>? otherFilter,
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
        if (!string.IsNullOrEmpty(index) && await AtlasReadyAsync(collection, index, cancellationToken))
        {
            try
            {
                return await AtlasAsync(collection, AtlasPipeline(index, field, indexedFilter, otherFilter, query, limit), minScore, cancellationToken);
            }
            catch (MongoCommandException ex) when (!MongoErrors.IsTransient(ex))
            {
                PauseAtlas(collection, index, ex.Message);
            }
        }

        var filter = (indexedFilter ?? Builders<BsonDocument>.Filter.Empty) & (otherFilter ?? Builders<BsonDocument>.Filter.Empty);
        return await InProcessAsync(collection, field, filter, query, limit, minScore, cancellationToken);
    }

    /// <summary>Checks the Atlas index of each collection at start, so that a missing or building one is reported then.</summary>
    public async Task CheckIndexesAsync(IEnumerable<IMongoCollection<BsonDocument>> collections, CancellationToken cancellationToken)
    {
        var index = options.Value.VectorIndex;
        if (string.IsNullOrEmpty(index))
        {
            return;
        }

        foreach (var collection in collections)
        {
            await AtlasReadyAsync(collection, index, cancellationToken);
        }
    }

    /// <summary>The <c>$vectorSearch</c> pipeline, built by the driver's own stage builder (the filter in the dollar form the stage requires).</summary>
    public static PipelineDefinition<BsonDocument, BsonDocument> AtlasPipeline(
        string index,
        string field,
        FilterDefinition<BsonDocument>? indexedFilter,
        FilterDefinition<BsonDocument>? otherFilter,
        ReadOnlyMemory<float> query,
        int limit)
    {
        limit = Math.Min(limit, MaxCandidates);
        var search = new VectorSearchOptions<BsonDocument>
        {
            IndexName = index,
            NumberOfCandidates = Math.Min(limit * 20, MaxCandidates),
            Filter = indexedFilter,
        };
        PipelineDefinition<BsonDocument, BsonDocument> pipeline = new EmptyPipelineDefinition<BsonDocument>()
            .VectorSearch(new StringFieldDefinition<BsonDocument>(field), new QueryVector(query), limit, search);
        if (otherFilter is not null)
        {
            pipeline = pipeline.Match(otherFilter);
        }

        return pipeline.AppendStage<BsonDocument, BsonDocument, BsonDocument>(
            new BsonDocument("$addFields", new BsonDocument(ScoreField, new BsonDocument("$meta", "vectorSearchScore"))));
    }

    /// <summary>What keeps a listed search index from answering <c>$vectorSearch</c>; null when nothing does.</summary>
    public static string? IndexProblem(string index, string collection, BsonDocument? listed)
    {
        if (listed is null)
        {
            return $"collection {collection} has no Atlas Search index named {index}";
        }

        if (listed.GetValue("type", "vectorSearch").AsString != "vectorSearch")
        {
            return $"the index {index} of collection {collection} is of type {listed["type"]}, not vectorSearch";
        }

        var status = listed.GetValue("status", "UNKNOWN").ToString();
        return listed.GetValue("queryable", false).ToBoolean() && status == "READY"
            ? null
            : $"the index {index} of collection {collection} is {status}, not queryable yet";
    }

    private async Task<bool> AtlasReadyAsync(IMongoCollection<BsonDocument> collection, string index, CancellationToken cancellationToken)
    {
        var name = collection.CollectionNamespace.CollectionName;
        switch (availability.Next(name))
        {
            case AtlasAvailability.Step.UseAtlas:
                return true;
            case AtlasAvailability.Step.RankInProcess:
                return false;
        }

        string? problem;
        try
        {
            using var cursor = await collection.SearchIndexes.ListAsync(index, aggregateOptions: null, cancellationToken);
            problem = IndexProblem(index, name, await cursor.FirstOrDefaultAsync(cancellationToken));
        }
        catch (MongoCommandException ex) when (!MongoErrors.IsTransient(ex))
        {
            // A server that is not Atlas does not know $listSearchIndexes.
            problem = $"$listSearchIndexes failed: {ex.Message}";
        }

        if (problem is not null)
        {
            PauseAtlas(collection, index, problem);
            return false;
        }

        availability.MarkReady(name);
        logger.VectorIndexReady(index, name);
        return true;
    }

    private void PauseAtlas(IMongoCollection<BsonDocument> collection, string index, string problem)
    {
        var name = collection.CollectionNamespace.CollectionName;
        var pause = availability.Pause(name);
        logger.VectorSearchPaused(index, name, problem, pause.TotalSeconds);
    }

    private static async Task<List<(BsonDocument, double)>> AtlasAsync(
        IMongoCollection<BsonDocument> collection,
        PipelineDefinition<BsonDocument, BsonDocument> pipeline,
        double minScore,
        CancellationToken cancellationToken)
    {
        using var cursor = await collection.AggregateAsync(pipeline, options: null, cancellationToken);
        var found = await cursor.ToListAsync(cancellationToken);
        // Atlas scores a cosine index as (1 + cosine) / 2; the ports speak cosine.
        return [.. found
            .Select(document => (Document: document, Score: (2 * document[ScoreField].ToDouble()) - 1))
            .Where(hit => hit.Score >= minScore)
            .Select(hit => { hit.Document.Remove(ScoreField); return (hit.Document, hit.Score); })];
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
        var best = new VectorTopK(limit, minScore);
        var candidates = new FindOptions<BsonDocument> { Projection = Builders<BsonDocument>.Projection.Include("_id").Include(field) };
        using (var cursor = await collection.FindAsync(filter & Builders<BsonDocument>.Filter.Exists(field), candidates, cancellationToken))
        {
            while (await cursor.MoveNextAsync(cancellationToken))
            {
                foreach (var candidate in cursor.Current)
                {
                    // A vector of another dimension was made by another model: it is not a candidate at any score.
                    if (candidate.Vector(field) is { } vector && vector.Length == query.Length)
                    {
                        best.Offer(candidate["_id"], Vectors.Similarity(vector, query.Span));
                    }
                }
            }
        }

        var ranked = best.Ranked();
        if (ranked.Count == 0)
        {
            return [];
        }

        using var winners = await collection.FindAsync(Builders<BsonDocument>.Filter.In("_id", ranked.Select(b => b.Id)), options: null, cancellationToken);
        var byId = (await winners.ToListAsync(cancellationToken)).ToDictionary(d => d["_id"]);
        // A winner forgotten between the two reads is left out.
        return [.. ranked.Where(b => byId.ContainsKey(b.Id)).Select(b => (byId[b.Id], b.Score))];
    }
}
