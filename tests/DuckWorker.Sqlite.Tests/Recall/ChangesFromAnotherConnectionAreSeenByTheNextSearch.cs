using DuckWorker.Runtime.Memory;
using DuckWorker.Sqlite.Schema;

namespace DuckWorker.Sqlite.Tests.Recall;

/// <summary>
/// A worker and <c>duck</c> (or two workers) share one file, each with its own index: what one writes, the other's
/// next search sees. Each case keeps more than the index's 64 candidates closer than the memory that changed,
/// so that an index that missed the change would not even consider it.
/// </summary>
public sealed class ChangesFromAnotherConnectionAreSeenByTheNextSearch : IDisposable
{
    private const int Dimensions = 16;

    private readonly MemoryFile file = new();
    private readonly float[] query = MemoryFile.RandomUnit(new Random(1), Dimensions);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddedUpdatedMovedAndForgottenMemoriesAreSeen()
    {
        await file.InsertAsync(Fillers().Append(MemoryFile.Memory("x", "/w", "workspace", Away())).Append(MemoryFile.Memory("y", "/other", "workspace", query)));
        var reader = file.NewStore();
        var writer = file.NewStore();
        Assert.StartsWith("filler", await BestAsync(reader));

        await writer.AddAsync(MemoryFile.Memory("new", "/w", "workspace", query), Ct);
        Assert.Equal("new", await BestAsync(reader));

        var x = (await writer.GetAsync("x", Ct))!;
        await writer.UpdateAsync(x with { Embedding = query }, Ct);
        await writer.UpdateAsync((await writer.GetAsync("new", Ct))! with { Embedding = Away() }, Ct);
        Assert.Equal("x", await BestAsync(reader));

        await writer.DeleteAsync("x", Ct);
        Assert.StartsWith("filler", await BestAsync(reader));

        // Neither store can move a memory to another scope or workspace; a hand-made SQL can.
        await file.SqlAsync("UPDATE memories SET scope = 'global' WHERE memory_id = 'y';");
        Assert.Equal("y", await BestAsync(reader));
        await file.SqlAsync("UPDATE memories SET scope = 'workspace', workspace = '/w', memory_id = 'z' WHERE memory_id = 'y';");
        Assert.Equal("z", await BestAsync(reader));

        await writer.UpdateAsync((await writer.GetAsync("z", Ct))! with { Embedding = null }, Ct);
        Assert.StartsWith("filler", await BestAsync(reader));
        Assert.Equal(await file.ExactTopAsync("/w", query, 10, -1), (await reader.SearchAsync("/w", MemoryFile.Embedder, query, 10, -1, Ct)).Select(f => (f.Item.MemoryId, f.Score)));
    }

    [Fact]
    public async Task AnIndexFurtherBehindThanTheKeptChangesReloads()
    {
        await file.InsertAsync(Fillers());
        var reader = file.NewStore();
        Assert.StartsWith("filler", await BestAsync(reader));

        await file.InsertAsync([MemoryFile.Memory("late", "/w", "workspace", query)]);
        await file.SqlAsync("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001)
            INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, created_at, updated_at)
            SELECT 'plain' || i, '/w', 'workspace', 'fact', 'no vector', 0.5, '{}', '', '' FROM n;
            """);

        Assert.Equal(10_000L, await file.SqlAsync("SELECT count(*) FROM memory_changes;"));
        Assert.Equal("late", await BestAsync(reader));
    }

    [Fact]
    public async Task ManySearchesAtOnceWhileAnotherStoreWritesStayWithinTheContract()
    {
        await file.InsertAsync(Fillers());
        var reader = file.NewStore();
        var writer = file.NewStore();
        var random = new Random(3);
        var extra = Enumerable.Range(0, 200).Select(i => MemoryFile.Memory($"extra{i}", i % 2 == 0 ? "/w" : "/other", "workspace", MemoryFile.RandomUnit(random, Dimensions))).ToList();

        var writing = Task.Run(async () =>
        {
            foreach (var memory in extra)
            {
                await writer.AddAsync(memory, Ct);
                if (memory.MemoryId.EndsWith('0'))
                {
                    await writer.DeleteAsync(memory.MemoryId, Ct);
                }
            }
        }, Ct);
        var searching = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var found = await reader.SearchAsync("/w", MemoryFile.Embedder, query, 10, 0.1, Ct);
                Assert.All(found, f => Assert.True(f.Item.Workspace == "/w" && f.Score >= 0.1));
                Assert.Equal(found.OrderByDescending(f => f.Score).Select(f => f.Item.MemoryId), found.Select(f => f.Item.MemoryId));
            }
        }, Ct));
        await Task.WhenAll(searching.Append(writing));

        Assert.Equal(await file.ExactTopAsync("/w", query, 10, 0.1), (await reader.SearchAsync("/w", MemoryFile.Embedder, query, 10, 0.1, Ct)).Select(f => (f.Item.MemoryId, f.Score)));
    }

    [Fact]
    public async Task AFileOfTheFifthVersionGetsTheChangeLogAndKeepsItsMemories()
    {
        await file.InsertAsync(Fillers().Take(3));
        await file.SqlAsync("""
            DROP TRIGGER memories_added;
            DROP TRIGGER memories_changed;
            DROP TRIGGER memories_removed;
            DROP TRIGGER memory_changes_pruned;
            DROP TABLE memory_changes;
            DELETE FROM sqlite_sequence WHERE name = 'memory_changes';
            PRAGMA user_version = 5;
            """);
        var reader = file.NewStore();

        Assert.Equal(3, (await reader.SearchAsync("/w", MemoryFile.Embedder, query, 10, -1, Ct)).Count);
        await file.NewStore().AddAsync(MemoryFile.Memory("new", "/w", "workspace", query), Ct);

        Assert.Equal("new", await BestAsync(reader));
        Assert.Equal((long)SqliteSchema.Version, await file.SqlAsync("PRAGMA user_version;"));
    }

    public void Dispose() => file.Dispose();

    /// <summary>A hundred memories of /w close to the query (similarity about 0.8), more than the index's 64 candidates.</summary>
    private IEnumerable<Runtime.Stores.MemoryRecord> Fillers()
    {
        var random = new Random(2);
        return Enumerable.Range(0, 100).Select(i => MemoryFile.Memory(
            $"filler{i:D3}",
            "/w",
            "workspace",
            Vectors.Normalize(query.Zip(MemoryFile.RandomUnit(random, Dimensions), (q, n) => q + (0.7f * n)).ToArray())));
    }

    /// <summary>A vector far from the query: every filler is closer.</summary>
    private float[] Away() => query.Select(q => -q).ToArray();

    private async Task<string> BestAsync(SqliteMemoryStore store) =>
        (await store.SearchAsync("/w", MemoryFile.Embedder, query, 1, -1, Ct)).Single().Item.MemoryId;
}
