using System.Runtime.CompilerServices;
using System.Text.Json;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Sqlite;

internal sealed class SqliteEventLog(SqliteDatabase database, TimeProvider time) : IEventLog
{
    public Task<IReadOnlyList<TaskEvent>> AppendAsync(string taskId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<TaskEvent>>(async connection =>
        {
            // The write's transaction (BEGIN IMMEDIATE) holds the write lock before the last seq is read, so no
            // other writer can take the same number; the primary key (task_id, seq) is the guard if that ever changed.
            var at = time.GetUtcNow();
            var appended = new List<TaskEvent>(events.Count);
            foreach (var entry in events)
            {
                await using var insert = connection.Command(
                    """
                    INSERT INTO events (task_id, seq, event_type, payload, at)
                    SELECT $task, COALESCE(MAX(seq), 0) + 1, $type, $payload, $at FROM events WHERE task_id = $task
                    RETURNING seq;
                    """,
                    ("$task", taskId),
                    ("$type", entry.EventType),
                    ("$payload", entry.Payload.GetRawText()),
                    ("$at", SqliteCommands.Time(at)));
                var seq = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
                appended.Add(new TaskEvent(taskId, seq, entry.EventType, entry.Payload.Clone(), at));
            }

            return appended;
        }, cancellationToken);

    public async IAsyncEnumerable<TaskEvent> ReadAsync(string taskId, long afterSeq, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = await database.RunAsync(async connection =>
        {
            await using var select = connection.Command(
                "SELECT seq, event_type, payload, at FROM events WHERE task_id = $task AND seq > $after ORDER BY seq;",
                ("$task", taskId),
                ("$after", afterSeq));
            return await select.ReadAllAsync(row =>
            {
                using var payload = JsonDocument.Parse(row.GetString(2));
                return new TaskEvent(taskId, row.GetInt64(0), row.GetString(1), payload.RootElement.Clone(), SqliteCommands.Time(row.GetString(3)));
            });
        }, cancellationToken);
        foreach (var entry in events)
        {
            yield return entry;
        }
    }
}
