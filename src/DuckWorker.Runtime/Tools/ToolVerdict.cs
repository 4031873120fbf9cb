namespace DuckWorker.Runtime.Tools;

/// <summary>What may happen to a tool call before it runs.</summary>
public enum ToolVerdict
{
    /// <summary>Runs at once.</summary>
    Run,

    /// <summary>Runs only once a person allowed it (once or forever).</summary>
    Approve,

    /// <summary>Never runs, whatever any approval says.</summary>
    Block,

    /// <summary>The call itself is malformed (missing or bad arguments); it fails without asking anyone.</summary>
    Invalid,
}
