using DuckWorker.Runtime.Memory;

namespace DuckWorker.Sqlite.Tests.Recall;

/// <summary>
/// The contract of a search (the workspace's memories and the global ones, best first, none below the minimum
/// score, only vectors of the query's kind) holds exactly, with more memories than the index's candidates.
/// </summary>
public sealed class RecallKeepsTheScopeAndMinimumScoreExactly : IDisposable
{
    private const int Dimensions = 64;

    private readonly MemoryFile file = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EverySearchEqualsTheExactOneForEachLimitAndMinimumScore()
    {
        var random = new Random(5);
        var memories = Enumerable.Range(0, 500).Select(i => MemoryFile.Memory($"a{i}", "/a", "workspace", MemoryFile.RandomUnit(random, Dimensions)))
            .Concat(Enumerable.Range(0, 500).Select(i => MemoryFile.Memory($"b{i}", "/b", "workspace", MemoryFile.RandomUnit(random, Dimensions))))
            .Concat(Enumerable.Range(0, 50).Select(i => MemoryFile.Memory($"g{i}", "/c", "global", MemoryFile.RandomUnit(random, Dimensions))))
            .Concat(Enumerable.Range(0, 20).Select(i => MemoryFile.Memory($"none{i}", "/a", "workspace", null)))
            .Concat(Enumerable.Range(0, 20).Select(i => MemoryFile.Memory($"short{i}", "/a", "workspace", MemoryFile.RandomUnit(random, Dimensions / 2))))
            .ToList();
        await file.InsertAsync(memories);
        var store = file.NewStore();
        // Queries near memories of each kind, so that high minimum scores still let some through.
        var queries = new[] { "a7", "b3", "g9" }.Select(id => Near(memories.Single(m => m.MemoryId == id).Embedding!, random))
            .Append(MemoryFile.RandomUnit(random, Dimensions))
            .ToList();

        foreach (var workspace in new[] { "/a", "/b", "/nowhere" })
        {
            foreach (var query in queries)
            {
                foreach (var limit in new[] { 1, 5, 100, 2000 })
                {
                    foreach (var minScore in new[] { -1, 0, 0.2, 0.5, 0.9 })
                    {
                        var found = await store.SearchAsync(workspace, MemoryFile.Embedder, query, limit, minScore, Ct);

                        var exact = await file.ExactTopAsync(workspace, query, limit, minScore);
                        Assert.Equal(exact.Select(e => (e.Id, e.Score)), found.Select(f => (f.Item.MemoryId, f.Score)));
                        Assert.All(found, f => Assert.True(f.Score >= minScore && (f.Item.Workspace == workspace || f.Item.Scope == "global")));
                    }
                }
            }
        }
    }

    [Fact]
    public async Task AMemoryOfAnotherWorkspaceIsNeverFoundHoweverCloseAndAGlobalOneAlways()
    {
        var query = MemoryFile.RandomUnit(new Random(1), Dimensions);
        var random = new Random(2);
        await file.InsertAsync(Enumerable.Range(0, 200).Select(i => MemoryFile.Memory($"a{i}", "/a", "workspace", Near(query, random)))
            .Append(MemoryFile.Memory("twin-elsewhere", "/b", "workspace", query))
            .Append(MemoryFile.Memory("far-global", "/b", "global", Scaled(query, -1))));
        var store = file.NewStore();

        var inA = await store.SearchAsync("/a", MemoryFile.Embedder, query, 300, -1, Ct);
        var inB = await store.SearchAsync("/b", MemoryFile.Embedder, query, 2, -1, Ct);
        var nowhere = await store.SearchAsync("/nowhere", MemoryFile.Embedder, query, 5, -1, Ct);

        Assert.Equal(201, inA.Count);
        Assert.DoesNotContain(inA, f => f.Item.MemoryId == "twin-elsewhere");
        Assert.Equal("far-global", inA[^1].Item.MemoryId);
        Assert.Equal([("twin-elsewhere", 1.0), ("far-global", -1.0)], inB.Select(f => (f.Item.MemoryId, Math.Round(f.Score, 5))));
        Assert.Equal(["far-global"], nowhere.Select(f => f.Item.MemoryId));
        Assert.Empty(await store.SearchAsync("/a", MemoryFile.Embedder, query, 0, -1, Ct));
        Assert.Empty(await store.SearchAsync("/a", MemoryFile.Embedder, query.AsMemory(0, 10), 5, -1, Ct));
    }

    public void Dispose() => file.Dispose();

    /// <summary>A unit vector close to <paramref name="vector"/>, at a random similarity mostly above 0.5.</summary>
    private static float[] Near(float[] vector, Random random)
    {
        var noise = MemoryFile.RandomUnit(random, vector.Length);
        var weight = (float)random.NextDouble() * 1.5f;
        return Vectors.Normalize(vector.Zip(noise, (v, n) => v + (weight * n)).ToArray());
    }

    private static float[] Scaled(float[] vector, float factor) => vector.Select(v => v * factor).ToArray();
}
