using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Approvals;

/// <summary>The outcome of a decision and the approval as it now stands (null when not found).</summary>
public sealed record DecisionResult(DecisionOutcome Outcome, Approval? Approval);
