using MongoDB.Bson;

namespace DuckWorker.Mongo.Tests.VectorSearch;

public sealed class TheInProcessRankingKeepsTheBestOfAll
{
    [Fact]
    public void TheBestFewOfManyAreKeptBestFirstNoneBelowTheMinimum()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 50_000).Select(i => (Id: (BsonValue)$"m{i}", Score: (random.NextDouble() * 2) - 1)).ToList();
        var top = new VectorTopK(10, minScore: 0.5);

        foreach (var (id, score) in scores)
        {
            top.Offer(id, score);
        }

        Assert.Equal(scores.Where(s => s.Score >= 0.5).OrderByDescending(s => s.Score).Take(10).ToList(), top.Ranked());
    }

    [Fact]
    public void TheOldestMemoryIsRankedLikeTheNewest()
    {
        var top = new VectorTopK(1, minScore: 0);

        top.Offer("oldest", 0.99);
        foreach (var i in Enumerable.Range(0, 20_000))
        {
            top.Offer($"newer{i}", 0.5);
        }

        Assert.Equal("oldest", Assert.Single(top.Ranked()).Id);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void ALimitOfNoneKeepsNone(int limit)
    {
        var top = new VectorTopK(limit, minScore: 0);

        top.Offer("m1", 1);

        Assert.Empty(top.Ranked());
    }
}
