using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

internal sealed class SqliteExperienceStore(SqliteDatabase database) : IExperienceStore
{
    private const string Columns = "record_id, task_id, workspace, summary, outcome, reusable_lesson, created_at";

    public Task AddAsync(ExperienceRecord record, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var insert = connection.Command(
                $"INSERT INTO experiences ({Columns}) VALUES ($id, $task, $workspace, $summary, $outcome, $lesson, $created);",
                ("$id", record.RecordId),
                ("$task", record.TaskId),
                ("$workspace", record.Workspace),
                ("$summary", record.Summary),
                ("$outcome", record.Outcome),
                ("$lesson", record.ReusableLesson),
                ("$created", SqliteCommands.Time(record.CreatedAt)));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<ExperienceRecord?> GetAsync(string recordId, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command($"SELECT {Columns} FROM experiences WHERE record_id = $id;", ("$id", recordId));
            return (await select.ReadAllAsync(Map)).SingleOrDefault();
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
    };
}
