using System.ComponentModel.DataAnnotations;

namespace DuckWorker;

/// <summary>The <c>Worker</c> section as the host reads it (the runtime reads its own keys of the same section).</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    [Range(1, 64, ErrorMessage = "Worker:Concurrency must be between 1 and 64.")]
    public int Concurrency { get; set; } = 2;

    /// <summary>How long one attempt of a model call may take before it counts as failed (and is retried).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "02:00:00", ErrorMessage = "Worker:ModelTimeout must be between 00:00:00.100 and 02:00:00.")]
    public TimeSpan ModelTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
