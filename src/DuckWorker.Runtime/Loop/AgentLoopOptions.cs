using System.ComponentModel.DataAnnotations;

namespace DuckWorker.Runtime.Loop;

/// <summary>The runtime loop's settings, read from the <c>Worker</c> section.</summary>
public sealed class AgentLoopOptions
{
    public const string Section = "Worker";

    /// <summary>How many action rounds (model directive, then its tools) one run may take.</summary>
    [Range(1, 32, ErrorMessage = "Worker:MaxToolIterations must be between 1 and 32.")]
    public int MaxToolIterations { get; set; } = 4;

    /// <summary>Actions beyond this many in one directive are not run; the model is told so.</summary>
    [Range(1, 64, ErrorMessage = "Worker:MaxActionsPerDirective must be between 1 and 64.")]
    public int MaxActionsPerDirective { get; set; } = 8;
}
