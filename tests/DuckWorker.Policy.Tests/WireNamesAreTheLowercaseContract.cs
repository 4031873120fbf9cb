using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

public sealed class WireNamesAreTheLowercaseContract
{
    [Fact]
    public void DecisionsActionTypesAndRiskLevelsHaveTheirContractNames()
    {
        Assert.Equal(["run", "approve", "block"], Enum.GetValues<CommandDecision>().Select(value => value.ToWire()));
        Assert.Equal(
            ["read", "write", "network", "process", "destructive", "privileged", "unknown"],
            Enum.GetValues<CommandActionType>().Select(value => value.ToWire()));
        Assert.Equal(["low", "medium", "high", "critical"], Enum.GetValues<RiskLevel>().Select(value => value.ToWire()));
    }

    [Fact]
    public void AnUndefinedValueHasNoWireName()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ((CommandDecision)42).ToWire());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((CommandActionType)42).ToWire());
        Assert.Throws<ArgumentOutOfRangeException>(() => ((RiskLevel)42).ToWire());
    }
}
