namespace DuckWorker;

/// <summary>The <c>Worker</c> section as the host reads it (the runtime reads its own keys of the same section).</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Jobs in flight at once: the prefetch of the jobs queue and the consumer's dispatch concurrency.</summary>
    public int Concurrency { get; set; } = 2;

    /// <summary>How long one attempt of a model call may take before it counts as failed (and is retried).</summary>
    public TimeSpan ModelTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>On SIGTERM, how long jobs in flight may take to finish before they are handed back to the queue.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a run holds its task without renewing; a task whose lease expired is resumed elsewhere.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the sweeper looks for tasks whose lease expired.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs of one step of a task (each interrupted by an unreachable model, a lost worker…) before it fails with
    /// the reason. A step goes from the task's start, or from a decided approval, to its answer or its next pause
    /// for approval: a pause ends the step, so a task may wait for any number of approvals.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The wait before a job whose model was unreachable goes back to the queue, times the attempts so far.</summary>
    public TimeSpan RequeueDelay { get; set; } = TimeSpan.FromSeconds(5);
}
