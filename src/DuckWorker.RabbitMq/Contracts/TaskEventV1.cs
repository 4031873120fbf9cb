using System.Text.Json;

namespace DuckWorker.RabbitMq.Contracts;

/// <summary><c>duck.task-event.v1</c> (routing key <c>task.event.&lt;eventType&gt;</c>): one event of a task's log, as it is appended.</summary>
public sealed record TaskEventV1(string TaskId, long Seq, string EventType, JsonElement Payload, DateTimeOffset At);
