namespace DuckWorker.Runtime.Loop;

/// <summary>The runtime loop's settings, read from the <c>Worker</c> section.</summary>
public sealed class AgentLoopOptions
{
    public const string Section = "Worker";

    /// <summary>How many action rounds (model directive, then its tools) one run may take.</summary>
    public int MaxToolIterations { get; set; } = 4;

    /// <summary>Actions beyond this many in one directive are not run; the model is told so.</summary>
    public int MaxActionsPerDirective { get; set; } = 8;
}
