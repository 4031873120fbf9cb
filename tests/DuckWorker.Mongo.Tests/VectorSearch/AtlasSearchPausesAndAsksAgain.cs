using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Tests.VectorSearch;

public sealed class AtlasSearchPausesAndAsksAgain
{
    private readonly FakeTimeProvider time = new();

    [Fact]
    public void TheIndexIsCheckedBeforeItsFirstUse()
    {
        var availability = new AtlasAvailability(time);

        Assert.Equal(AtlasAvailability.Step.CheckIndex, availability.Next("memories"));
        availability.MarkReady("memories");
        Assert.Equal(AtlasAvailability.Step.UseAtlas, availability.Next("memories"));
    }

    [Fact]
    public void AFailurePausesAtlasForAWhileNotForEver()
    {
        var availability = new AtlasAvailability(time);
        availability.MarkReady("memories");

        Assert.Equal(TimeSpan.FromSeconds(30), availability.Pause("memories"));
        Assert.Equal(AtlasAvailability.Step.RankInProcess, availability.Next("memories"));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(AtlasAvailability.Step.RankInProcess, availability.Next("memories"));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AtlasAvailability.Step.CheckIndex, availability.Next("memories"));
    }

    [Fact]
    public void RepeatedFailuresPauseLongerUpToTenMinutesAndASuccessStartsOver()
    {
        var availability = new AtlasAvailability(time);

        var pauses = Enumerable.Range(0, 7).Select(_ => availability.Pause("memories").TotalSeconds).ToList();
        Assert.True(availability.MarkReady("memories"));
        var afterSuccess = availability.Pause("memories");

        Assert.Equal([30.0, 60, 120, 240, 480, 600, 600], pauses);
        Assert.Equal(TimeSpan.FromSeconds(30), afterSuccess);
    }

    [Fact]
    public void OneCollectionsFailureLeavesTheOtherOnAtlas()
    {
        var availability = new AtlasAvailability(time);
        availability.MarkReady("memories");
        availability.MarkReady("experiences");

        availability.Pause("experiences");

        Assert.Equal(AtlasAvailability.Step.UseAtlas, availability.Next("memories"));
        Assert.Equal(AtlasAvailability.Step.RankInProcess, availability.Next("experiences"));
    }

    [Theory]
    [InlineData(null, "collection memories has no Atlas Search index named duck_vectors")]
    [InlineData("{ name: 'duck_vectors', type: 'vectorSearch', status: 'BUILDING', queryable: false }", "the index duck_vectors of collection memories is BUILDING, not queryable yet")]
    [InlineData("{ name: 'duck_vectors', type: 'vectorSearch', status: 'FAILED', queryable: false }", "the index duck_vectors of collection memories is FAILED, not queryable yet")]
    [InlineData("{ name: 'duck_vectors', type: 'search', status: 'READY', queryable: true }", "the index duck_vectors of collection memories is of type search, not vectorSearch")]
    [InlineData("{ name: 'duck_vectors', type: 'vectorSearch', status: 'READY', queryable: true }", null)]
    public void AListedIndexIsUsedOnlyWhenItIsAQueryableVectorIndex(string? listed, string? problem)
    {
        Assert.Equal(problem, MongoVectorSearch.IndexProblem("duck_vectors", "memories", listed is null ? null : BsonDocument.Parse(listed)));
    }
}
