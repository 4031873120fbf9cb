using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Approvals;

/// <summary>An edited call as the policy judged it; <paramref name="Refusal"/> is null when a person may allow it.</summary>
public sealed record EditJudgement(ToolCall Call, string? Refusal);
