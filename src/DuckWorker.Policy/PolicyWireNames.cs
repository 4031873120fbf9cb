namespace DuckWorker.Policy;

/// <summary>The lowercase names the policy's enums have in JSON (tool metadata, events, messages).</summary>
public static class PolicyWireNames
{
    public static string ToWire(this CommandDecision decision) => decision switch
    {
        CommandDecision.Run => "run",
        CommandDecision.Approve => "approve",
        CommandDecision.Block => "block",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, null),
    };

    public static string ToWire(this CommandActionType actionType) => actionType switch
    {
        CommandActionType.Read => "read",
        CommandActionType.Write => "write",
        CommandActionType.Network => "network",
        CommandActionType.Process => "process",
        CommandActionType.Destructive => "destructive",
        CommandActionType.Privileged => "privileged",
        CommandActionType.Unknown => "unknown",
        _ => throw new ArgumentOutOfRangeException(nameof(actionType), actionType, null),
    };

    public static string ToWire(this RiskLevel riskLevel) => riskLevel switch
    {
        RiskLevel.Low => "low",
        RiskLevel.Medium => "medium",
        RiskLevel.High => "high",
        RiskLevel.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(riskLevel), riskLevel, null),
    };
}
