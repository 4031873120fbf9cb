using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite.Recall;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

internal sealed class SqliteExperienceStore(SqliteDatabase database) : IExperienceStore
{
    private const string Columns = "record_id, task_id, workspace, summary, outcome, reusable_lesson, created_at, lesson_embedding, lesson_embedded_by";

    // Every job's recall asks for lessons, and a worker that reflects keeps about one per task: an exact scan of
    // them all took 13 ms at 10,000 lessons and 121 ms at 100,000 (the worker benchmark's recall measure).
    private readonly VectorIndex lessons = new(VectorSource.Lessons);

    /// <summary>The memory this store's lesson index holds, roughly, in bytes.</summary>
    internal long LessonIndexBytes => lessons.Bytes;

    public Task AddAsync(ExperienceRecord record, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.Command(
                $"INSERT INTO experiences ({Columns}) VALUES ($id, $task, $workspace, $summary, $outcome, $lesson, $created, $embedding, $embedded_by);",
                ("$id", record.RecordId),
                ("$task", record.TaskId),
                ("$workspace", record.Workspace),
                ("$summary", record.Summary),
                ("$outcome", record.Outcome),
                ("$lesson", record.ReusableLesson),
                ("$created", SqliteCommands.Time(record.CreatedAt)),
                ("$embedding", SqliteCommands.Blob(record.LessonEmbedding)),
                ("$embedded_by", record.LessonEmbeddedBy));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<ExperienceRecord?> GetAsync(string recordId, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command($"SELECT {Columns} FROM experiences WHERE record_id = $id;", ("$id", recordId));
            return (await select.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListLessonIdsNotEmbeddedByAsync(string? embeddedBy, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var select = connection.Command(
                "SELECT record_id FROM experiences WHERE reusable_lesson IS NOT NULL "
                + "AND ($embedded_by IS NULL OR lesson_embedded_by IS NULL OR lesson_embedded_by <> $embedded_by) ORDER BY record_id;",
                ("$embedded_by", embeddedBy));
            return await select.ReadAllAsync(row => row.GetString(0));
        }, cancellationToken);

    public Task<bool> SetLessonEmbeddingAsync(string recordId, float[] embedding, string embeddedBy, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(
                "UPDATE experiences SET lesson_embedding = $embedding, lesson_embedded_by = $embedded_by WHERE record_id = $id;",
                ("$id", recordId),
                ("$embedding", SqliteCommands.Blob(embedding)),
                ("$embedded_by", embeddedBy));
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<Scored<ExperienceRecord>>> SearchLessonsAsync(string embeddedBy, ReadOnlyMemory<float> vector, int limit, double minScore, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Scored<ExperienceRecord>>>(async connection =>
        {
            if (limit <= 0)
            {
                return [];
            }

            // Lessons are not kept per workspace: all of them are global to the index.
            var best = await lessons.TopAsync(connection, embeddedBy, workspace: "", vector, limit, minScore, cancellationToken);
            return await connection.ScoredAsync($"SELECT {Columns} FROM experiences WHERE record_id IN (SELECT value FROM json_each($ids));", best, Map, r => r.RecordId);
        }, cancellationToken);

    private static ExperienceRecord Map(SqliteDataReader row) => new()
    {
        RecordId = row.String("record_id"),
        TaskId = row.String("task_id"),
        Workspace = row.String("workspace"),
        Summary = row.String("summary"),
        Outcome = row.String("outcome"),
        ReusableLesson = row.NullableString("reusable_lesson"),
        CreatedAt = SqliteCommands.Time(row.String("created_at")),
        LessonEmbedding = row.Vector("lesson_embedding"),
        LessonEmbeddedBy = row.EmbeddedBy("lesson_embedding", "lesson_embedded_by"),
    };
}
