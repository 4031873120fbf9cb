using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Tools;

/// <summary>A tool's judgement of one call before it runs.</summary>
/// <param name="Verdict">Whether the call runs, waits for approval, is blocked or is malformed.</param>
/// <param name="Reason">Why, in words a person approving it can act on.</param>
/// <param name="RiskLevel"><c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c>.</param>
/// <param name="Action">The normalized action an <c>allow_forever</c> rule for this call would match.</param>
/// <param name="ForeverScope">In words: exactly what <c>allow_forever</c> would allow from now on.</param>
/// <param name="Metadata">Tool-specific facts merged into the result's metadata.</param>
public sealed record ToolAssessment(
    ToolVerdict Verdict,
    string Reason,
    string RiskLevel,
    NormalizedAction Action,
    string ForeverScope,
    JsonObject Metadata)
{
    public static ToolAssessment Invalid(ToolAction action, string reason) =>
        new(ToolVerdict.Invalid, reason, "low", new NormalizedAction(action.Tool, ""), "", []);
}
