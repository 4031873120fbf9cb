namespace DuckWorker.RabbitMq.Contracts;

/// <summary><c>duck.task-finished.v1</c> (routing key <c>task.completed</c> or <c>task.failed</c>, and the job's <c>reply_to</c>).</summary>
/// <param name="TaskId">The task; null when the worker refused the job before any task was made for it.</param>
/// <param name="JobId">The job id as the job carried it; null when it carried none that could be read.</param>
/// <param name="Status"><c>completed</c> or <c>failed</c>.</param>
/// <param name="FinalResponse">The answer, or the reason the task failed (or the job was refused).</param>
public sealed record TaskFinishedV1(string? TaskId, string? JobId, string Status, string FinalResponse, string? ReasoningContent);
