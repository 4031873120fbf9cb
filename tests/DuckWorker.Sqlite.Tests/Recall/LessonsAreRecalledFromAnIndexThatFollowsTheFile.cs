using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite.Schema;

namespace DuckWorker.Sqlite.Tests.Recall;

/// <summary>
/// Every job's recall asks for the lessons closest to its message, and a worker that reflects keeps about one per
/// task, so they are searched through an in-memory index as the memories are. What another store (another process)
/// writes, its next search sees, and it finds exactly what a scan of every lesson finds. Each case keeps more than
/// the index's 64 candidates closer than the lesson that changed, so that an index that missed the change would
/// not even consider it.
/// </summary>
public sealed class LessonsAreRecalledFromAnIndexThatFollowsTheFile : IDisposable
{
    private const int Dimensions = 16;

    private readonly MemoryFile file = new();
    private readonly float[] query = MemoryFile.RandomUnit(new Random(1), Dimensions);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddedReembeddedEmptiedAndRemovedLessonsAreSeenByTheNextSearch()
    {
        var reader = NewStore();
        var writer = NewStore();
        foreach (var lesson in Fillers().Append(Lesson("x", Away())))
        {
            await writer.AddAsync(lesson, Ct);
        }

        Assert.StartsWith("filler", await BestAsync(reader));

        await writer.AddAsync(Lesson("new", query), Ct);
        Assert.Equal("new", await BestAsync(reader));

        await writer.SetLessonEmbeddingAsync("x", query, MemoryFile.Embedder, Ct);
        await writer.SetLessonEmbeddingAsync("new", Away(), MemoryFile.Embedder, Ct);
        Assert.Equal("x", await BestAsync(reader));

        // A lesson taken back (no text left to recall) is not recalled, whatever its vector.
        await file.SqlAsync("UPDATE experiences SET reusable_lesson = NULL WHERE record_id = 'x';");
        Assert.StartsWith("filler", await BestAsync(reader));

        await file.SqlAsync("UPDATE experiences SET reusable_lesson = 'again', record_id = 'y' WHERE record_id = 'x';");
        Assert.Equal("y", await BestAsync(reader));

        await file.SqlAsync("DELETE FROM experiences WHERE record_id = 'y';");
        Assert.StartsWith("filler", await BestAsync(reader));

        // A vector of another embedder is never compared with the query's.
        await writer.SetLessonEmbeddingAsync("filler000", query, "another/model", Ct);
        Assert.DoesNotContain("filler000", (await reader.SearchLessonsAsync(MemoryFile.Embedder, query, 200, -1, Ct)).Select(l => l.Item.RecordId));

        Assert.Equal(await ExactTopAsync(10, -1), (await reader.SearchLessonsAsync(MemoryFile.Embedder, query, 10, -1, Ct)).Select(l => (l.Item.RecordId, l.Score)));
        Assert.Equal(await ExactTopAsync(10, 0.9), (await reader.SearchLessonsAsync(MemoryFile.Embedder, query, 10, 0.9, Ct)).Select(l => (l.Item.RecordId, l.Score)));
    }

    [Fact]
    public async Task AFileOfTheSeventhVersionGetsTheLessonChangeLogAndKeepsItsLessons()
    {
        var writer = NewStore();
        foreach (var lesson in Fillers().Take(3))
        {
            await writer.AddAsync(lesson, Ct);
        }

        await file.SqlAsync("""
            DROP TRIGGER lessons_added;
            DROP TRIGGER lessons_changed;
            DROP TRIGGER lessons_removed;
            DROP TRIGGER lesson_changes_pruned;
            DROP TABLE lesson_changes;
            DELETE FROM sqlite_sequence WHERE name = 'lesson_changes';
            PRAGMA user_version = 7;
            """);
        var reader = NewStore();

        Assert.Equal(3, (await reader.SearchLessonsAsync(MemoryFile.Embedder, query, 10, -1, Ct)).Count);
        await NewStore().AddAsync(Lesson("new", query), Ct);

        Assert.Equal("new", await BestAsync(reader));
        Assert.Equal((long)SqliteSchema.Version, await file.SqlAsync("PRAGMA user_version;"));
    }

    public void Dispose() => file.Dispose();

    private SqliteExperienceStore NewStore() => new(SqliteStoreProvider.Open(file.Path));

    private static ExperienceRecord Lesson(string id, float[] embedding) => new()
    {
        RecordId = id,
        TaskId = "task-" + id,
        Workspace = "/w",
        Summary = "a task",
        Outcome = "success",
        ReusableLesson = "lesson " + id,
        CreatedAt = DateTimeOffset.UnixEpoch,
        LessonEmbedding = embedding,
        LessonEmbeddedBy = MemoryFile.Embedder,
    };

    /// <summary>A hundred lessons close to the query (similarity about 0.8), more than the index's 64 candidates.</summary>
    private IEnumerable<ExperienceRecord> Fillers()
    {
        var random = new Random(2);
        return Enumerable.Range(0, 100).Select(i => Lesson(
            $"filler{i:D3}",
            Vectors.Normalize(query.Zip(MemoryFile.RandomUnit(random, Dimensions), (q, n) => q + (0.7f * n)).ToArray())));
    }

    /// <summary>A vector far from the query: every filler is closer.</summary>
    private float[] Away() => [.. query.Select(q => -q)];

    private async Task<string> BestAsync(SqliteExperienceStore store) =>
        (await store.SearchLessonsAsync(MemoryFile.Embedder, query, 1, -1, Ct)).Single().Item.RecordId;

    /// <summary>The ranking the contract asks for, over every lesson, scored exactly.</summary>
    private async Task<List<(string Id, double Score)>> ExactTopAsync(int limit, double minScore)
    {
        var everyLesson = await NewStore().ListLessonIdsNotEmbeddedByAsync(embeddedBy: null, Ct);
        var scored = new List<(string Id, double Score)>();
        var store = NewStore();
        foreach (var id in everyLesson)
        {
            if (await store.GetAsync(id, Ct) is { ReusableLesson: not null, LessonEmbedding: { } vector, LessonEmbeddedBy: MemoryFile.Embedder })
            {
                scored.Add((id, Vectors.Similarity(vector, query)));
            }
        }

        return [.. scored.Where(s => s.Score >= minScore).OrderByDescending(s => s.Score).Take(limit)];
    }
}
