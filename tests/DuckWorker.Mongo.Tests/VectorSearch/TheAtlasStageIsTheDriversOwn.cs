using DuckWorker.Mongo.Mapping;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo.Tests.VectorSearch;

/// <summary>The <c>$vectorSearch</c> pipeline rendered as the driver sends it, with the collection's own serializers: no server needed.</summary>
public sealed class TheAtlasStageIsTheDriversOwn : IDisposable
{
    private static readonly float[] Query = [1, 0, 0];

    private readonly MongoStore store = new(Options.Create(new MongoOptions { ConnectionString = "mongodb://127.0.0.1:1" }));

    [Fact]
    public void TheMemoryFilterIsSentInTheDollarFormTheStageRequires()
    {
        var scope = Builders<BsonDocument>.Filter.Eq(MemoryMapping.Workspace, "/w") | Builders<BsonDocument>.Filter.Eq(MemoryMapping.Scope, MemoryMapping.GlobalScope);

        var stages = Render(MongoVectorSearch.AtlasPipeline("duck_vectors", MemoryMapping.Embedding, scope, otherFilter: null, Query, 5));

        var search = stages[0]["$vectorSearch"].AsBsonDocument;
        Assert.Equal(BsonDocument.Parse("{ $or: [ { workspace: { $eq: '/w' } }, { scope: { $eq: 'global' } } ] }"), search["filter"]);
        Assert.Equal("duck_vectors", search["index"]);
        Assert.Equal("embedding", search["path"]);
        Assert.Equal(5, search["limit"].ToInt32());
        Assert.Equal(100, search["numCandidates"].ToInt32());
        Assert.Equal(new BsonArray { 1.0, 0.0, 0.0 }, search["queryVector"]);
        Assert.Equal(BsonDocument.Parse("{ $addFields: { duckScore: { $meta: 'vectorSearchScore' } } }"), stages[^1]);
    }

    [Fact]
    public void TheStageIsExactlyWhatTheDriversBuilderRenders()
    {
        var scope = Builders<BsonDocument>.Filter.Eq(MemoryMapping.Workspace, "/w");
        var expected = new EmptyPipelineDefinition<BsonDocument>().VectorSearch(
            new StringFieldDefinition<BsonDocument>(MemoryMapping.Embedding),
            new QueryVector(Query),
            5,
            new VectorSearchOptions<BsonDocument> { IndexName = "duck_vectors", NumberOfCandidates = 100, Filter = scope });

        Assert.Equal(Render(expected)[0], Render(MongoVectorSearch.AtlasPipeline("duck_vectors", MemoryMapping.Embedding, scope, otherFilter: null, Query, 5))[0]);
    }

    [Fact]
    public void ALessonFilterOnAFieldTheIndexDoesNotDeclareIsAppliedAfterTheSearch()
    {
        var withLesson = Builders<BsonDocument>.Filter.Ne(ExperienceMapping.ReusableLesson, BsonNull.Value);

        var stages = Render(MongoVectorSearch.AtlasPipeline("duck_vectors", ExperienceMapping.LessonEmbedding, indexedFilter: null, withLesson, Query, 3));

        Assert.False(stages[0]["$vectorSearch"].AsBsonDocument.Contains("filter"));
        Assert.Equal(BsonDocument.Parse("{ $match: { reusableLesson: { $ne: null } } }"), stages[1]);
    }

    [Fact]
    public void TheCandidatesStayWithinAtlasBounds()
    {
        var stages = Render(MongoVectorSearch.AtlasPipeline("duck_vectors", MemoryMapping.Embedding, indexedFilter: null, otherFilter: null, Query, 50_000));

        var search = stages[0]["$vectorSearch"].AsBsonDocument;
        Assert.Equal(MongoVectorSearch.MaxCandidates, search["limit"].ToInt32());
        Assert.Equal(MongoVectorSearch.MaxCandidates, search["numCandidates"].ToInt32());
    }

    public void Dispose() => store.Dispose();

    private List<BsonDocument> Render(PipelineDefinition<BsonDocument, BsonDocument> pipeline)
    {
        var memories = store.Memories;
        return [.. pipeline.Render(new RenderArgs<BsonDocument>(memories.DocumentSerializer, memories.Settings.SerializerRegistry)).Documents];
    }
}
