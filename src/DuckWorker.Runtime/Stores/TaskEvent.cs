using System.Text.Json;

namespace DuckWorker.Runtime.Stores;

/// <summary>One entry of a task's append-only event log; <see cref="Seq"/> runs 1, 2, 3… per task with no gaps.</summary>
public sealed record TaskEvent(string TaskId, long Seq, string EventType, JsonElement Payload, DateTimeOffset At);
