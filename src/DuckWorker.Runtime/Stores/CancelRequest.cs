namespace DuckWorker.Runtime.Stores;

/// <summary>
/// Someone asked for a task to stop. It is kept with the task, so that the run working on it sees it at its next
/// step, and a run that starts later (the job was still queued, or its worker died) ends the task without running it.
/// </summary>
public sealed record CancelRequest(string By, string? Reason, DateTimeOffset At)
{
    /// <summary>The error a cancelled task ends with.</summary>
    public string Describe() => string.IsNullOrWhiteSpace(Reason) ? $"cancelled by {By}" : $"cancelled by {By}: {Reason}";
}
