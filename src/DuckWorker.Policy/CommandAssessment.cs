namespace DuckWorker.Policy;

/// <summary>The policy's judgement of one command line.</summary>
/// <param name="Decision">Run at once, ask for approval, or refuse even when approved.</param>
/// <param name="ActionType">The effect of the riskiest segment.</param>
/// <param name="RiskLevel">How much harm the riskiest segment can do.</param>
/// <param name="Reason">One sentence naming the riskiest segment and why it was judged so.</param>
/// <param name="NormalizedCommand">
/// A canonical rendering of the command line: the exact-match key for "allow forever" rules.
/// Two command lines that mean different things never share it.
/// </param>
public sealed record CommandAssessment(
    CommandDecision Decision,
    CommandActionType ActionType,
    RiskLevel RiskLevel,
    string Reason,
    string NormalizedCommand)
{
    public bool RequiresApproval => Decision == CommandDecision.Approve;

    public bool Blocked => Decision == CommandDecision.Block;
}
