using System.Text.Json;

namespace DuckWorker.Runtime.Stores;

/// <summary>The append-only event log of every task.</summary>
public interface IEventLog
{
    /// <summary>Appends an event with the task's next seq, assigned atomically: no gaps, no duplicates, however many writers append.</summary>
    async Task<TaskEvent> AppendAsync(string taskId, string eventType, JsonElement payload, CancellationToken cancellationToken) =>
        (await AppendAsync(taskId, [new NewEvent(eventType, payload)], cancellationToken))[0];

    /// <summary>
    /// Appends events to one task in the given order, in one write where the store can (SQLite), else one after
    /// the other (MongoDB, where another writer's event may come between two of them). When it fails, it may
    /// have stored the first of them, never one without those before it.
    /// </summary>
    Task<IReadOnlyList<TaskEvent>> AppendAsync(string taskId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken);

    /// <summary>The task's events with a seq above <paramref name="afterSeq"/>, in order.</summary>
    IAsyncEnumerable<TaskEvent> ReadAsync(string taskId, long afterSeq, CancellationToken cancellationToken);
}
