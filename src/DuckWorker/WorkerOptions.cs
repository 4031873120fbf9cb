namespace DuckWorker;

/// <summary>The <c>Worker</c> section as the host reads it (the runtime reads its own keys of the same section).</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    public int Concurrency { get; set; } = 2;

    /// <summary>How long one attempt of a model call may take before it counts as failed (and is retried).</summary>
    public TimeSpan ModelTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
