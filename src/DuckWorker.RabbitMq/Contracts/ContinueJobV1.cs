namespace DuckWorker.RabbitMq.Contracts;

/// <summary><c>duck.continue.v1</c>: resume a task whose approval was decided (published by the worker itself).</summary>
public sealed record ContinueJobV1(string JobId, string TaskId, string ApprovalId);
