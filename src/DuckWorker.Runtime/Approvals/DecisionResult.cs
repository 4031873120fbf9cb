using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Approvals;

/// <summary>The outcome of a decision and the approval as it now stands (null when not found).</summary>
public sealed record DecisionResult(DecisionOutcome Outcome, Approval? Approval)
{
    /// <summary>Why an edit was refused (<see cref="DecisionOutcome.EditRefused"/>), naming the approval.</summary>
    public string? Refusal { get; init; }
}
