namespace DuckWorker.Sqlite.Tests.Recall;

/// <summary>
/// The index chooses candidates by quantized vectors; what it returns must still be what an exact search over
/// every memory returns, on data like the benchmark's: random unit vectors of 768 dimensions.
/// </summary>
public sealed class QuantizedRecallFindsTheExactTopFive : IDisposable
{
    private const int Dimensions = 768;
    private const int Memories = 20_000;

    private readonly MemoryFile file = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TheTopFiveAndTheirScoresAreThoseOfTheExactRanking(int seed)
    {
        var random = new Random(seed);
        // Most in the searched workspace, some in another one (never to be found) and some global (always).
        await file.InsertAsync(Enumerable.Range(0, Memories).Select(i => (i % 10) switch
        {
            0 => MemoryFile.Memory($"o{i}", "/other", "workspace", MemoryFile.RandomUnit(random, Dimensions)),
            1 => MemoryFile.Memory($"g{i}", "/other", "global", MemoryFile.RandomUnit(random, Dimensions)),
            _ => MemoryFile.Memory($"w{i}", "/w", "workspace", MemoryFile.RandomUnit(random, Dimensions)),
        }));
        var store = file.NewStore();

        for (var q = 0; q < 8; q++)
        {
            var query = MemoryFile.RandomUnit(random, Dimensions);

            var found = await store.SearchAsync("/w", MemoryFile.Embedder, query, 5, -1, TestContext.Current.CancellationToken);

            var exact = await file.ExactTopAsync("/w", query, 5, -1);
            Assert.Equal(exact.Select(e => e.Id), found.Select(f => f.Item.MemoryId));
            Assert.Equal(exact.Select(e => e.Score), found.Select(f => f.Score));
        }
    }

    public void Dispose() => file.Dispose();
}
