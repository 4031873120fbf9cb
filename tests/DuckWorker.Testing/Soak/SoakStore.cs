using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Testing.Soak;

/// <summary>
/// Reads the workers' SQLite file as it stands, by plain SQL on the columns the checks need: a reader of its
/// own, with no pool, so that it never holds the file the workers write.
/// </summary>
internal sealed class SoakStore(string path)
{
    private readonly string connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString();

    public async Task<IReadOnlyList<StoredTask>> TasksAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        return await QueryAsync(
            "SELECT task_id, job_id, status, error, attempts FROM tasks",
            r => new StoredTask(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt32(4)),
            cancellationToken);
    }

    public Task<IReadOnlyList<StoredEvent>> EventsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT task_id, seq, event_type, payload, at FROM events ORDER BY task_id, seq",
            r => new StoredEvent(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4)),
            cancellationToken);

    public Task<IReadOnlyList<StoredApproval>> ApprovalsAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT approval_id, task_id, action_index, decision FROM approvals ORDER BY created_at",
            r => new StoredApproval(r.GetString(0), r.GetString(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3)),
            cancellationToken);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}

internal sealed record StoredTask(string TaskId, string JobId, string Status, string? Error, int Attempts)
{
    public bool Finished => Status is "completed" or "failed";
}

internal sealed record StoredEvent(string TaskId, long Seq, string EventType, string Payload, string At)
{
    /// <summary>The tool call's index, for the events that name one.</summary>
    public int? Index
    {
        get
        {
            using var payload = JsonDocument.Parse(Payload);
            return payload.RootElement.ValueKind == JsonValueKind.Object && payload.RootElement.TryGetProperty("index", out var index) && index.TryGetInt32(out var number) ? number : null;
        }
    }

    public override string ToString() => $"{Seq,4} {At} {EventType} {(Payload.Length > 240 ? Payload[..240] + "…" : Payload)}";
}

internal sealed record StoredApproval(string ApprovalId, string TaskId, int Index, string? Decision);
