namespace DuckWorker.Policy;

/// <summary>How much harm the riskiest segment can do: ordered from least to most.</summary>
public enum RiskLevel
{
    Low,
    Medium,
    High,
    Critical,
}
