namespace DuckWorker.Runtime.Tools;

/// <summary>A call the gateway has looked up and judged; only the gateway makes one, so no caller can forge its verdict.</summary>
public sealed class ToolCall
{
    internal ToolCall(ToolAction action, ToolContext context, ITool? tool, ToolAssessment assessment)
    {
        Action = action;
        Context = context;
        Tool = tool;
        Assessment = assessment;
    }

    public ToolAction Action { get; }

    public ToolContext Context { get; }

    public ToolAssessment Assessment { get; }

    internal ITool? Tool { get; }

    /// <summary>True when the call would run once a person (or an allow-forever rule) allows it.</summary>
    public bool NeedsApproval => Assessment.Verdict == ToolVerdict.Approve;
}
