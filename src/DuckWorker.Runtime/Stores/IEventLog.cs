using System.Text.Json;

namespace DuckWorker.Runtime.Stores;

/// <summary>The append-only event log of every task.</summary>
public interface IEventLog
{
    /// <summary>Appends an event with the task's next seq, assigned atomically: no gaps, no duplicates, however many writers append.</summary>
    Task<TaskEvent> AppendAsync(string taskId, string eventType, JsonElement payload, CancellationToken cancellationToken);

    /// <summary>The task's events with a seq above <paramref name="afterSeq"/>, in order.</summary>
    IAsyncEnumerable<TaskEvent> ReadAsync(string taskId, long afterSeq, CancellationToken cancellationToken);
}
