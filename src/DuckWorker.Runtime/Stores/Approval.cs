using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Stores;

/// <summary>A tool call waiting for a person's decision, and that decision once made.</summary>
public sealed record Approval
{
    public required string ApprovalId { get; init; }

    public required string TaskId { get; init; }

    public required string Workspace { get; init; }

    /// <summary>The observation index of the call within its task.</summary>
    public int Index { get; init; }

    /// <summary>The exact call, as the model asked for it; this is what runs once allowed.</summary>
    public required ToolAction Action { get; init; }

    /// <summary>What an <c>allow_forever</c> rule recorded for this approval matches.</summary>
    public required NormalizedAction NormalizedAction { get; init; }

    public string Reason { get; init; } = "";

    public string RiskLevel { get; init; } = "";

    /// <summary>In words: exactly what <c>allow_forever</c> would allow from now on.</summary>
    public string ForeverScope { get; init; } = "";

    public ApprovalDecision? Decision { get; init; }

    public string? DecidedBy { get; init; }

    /// <summary>What the person said with the decision; a denial's comment reaches the models as "denied: &lt;comment&gt;".</summary>
    public string? Comment { get; init; }

    /// <summary>
    /// The call's args as the person changed them when allowing it (judged again by the policy first); what runs
    /// instead of <see cref="Action"/>'s. Null when the call was allowed as proposed.
    /// </summary>
    public JsonObject? EditedArgs { get; init; }

    /// <summary>The call that runs once allowed: the proposed one, or the proposed one with the person's edited args.</summary>
    public ToolAction ApprovedAction => EditedArgs is null ? Action : Action with { Args = EditedArgs };

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Why the approval ended without a decision (its task was cancelled, or it expired); a decision for it is refused.</summary>
    public string? ClosedReason { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Neither decided nor closed: a person may still decide it.</summary>
    public bool IsPending => Decision is null && ClosedReason is null;
}
