namespace DuckWorker.Sqlite.Tests.Recall;

public sealed class ForgottenMemoriesGiveTheirIndexMemoryBack : IDisposable
{
    private const int Dimensions = 768;

    private readonly MemoryFile file = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheIndexHoldsAboutAByteADimensionAndShrinksWhenMostAreForgotten()
    {
        var random = new Random(4);
        var query = MemoryFile.RandomUnit(random, Dimensions);
        await file.InsertAsync(Enumerable.Range(0, 3000).Select(i => MemoryFile.Memory($"m{i:D4}", "/w", "workspace", MemoryFile.RandomUnit(random, Dimensions))));
        var store = file.NewStore();
        Assert.Equal(0, store.RecallIndexBytes);

        await store.SearchAsync("/w", MemoryFile.Embedder, query, 5, -1, Ct);
        var full = store.RecallIndexBytes;
        // A quarter of the floats' 4 bytes a dimension, and a little per memory.
        Assert.InRange(full, 3000L * Dimensions, 3000L * Dimensions * 1.5);

        await file.SqlAsync("DELETE FROM memories WHERE memory_id > 'm0499';");
        var found = await store.SearchAsync("/w", MemoryFile.Embedder, query, 1000, -1, Ct);

        Assert.Equal(500, found.Count);
        Assert.InRange(store.RecallIndexBytes, 1, full / 2);

        await file.SqlAsync("DELETE FROM memories;");
        Assert.Empty(await store.SearchAsync("/w", MemoryFile.Embedder, query, 5, -1, Ct));
        Assert.Equal(0, store.RecallIndexBytes);
    }

    public void Dispose() => file.Dispose();
}
