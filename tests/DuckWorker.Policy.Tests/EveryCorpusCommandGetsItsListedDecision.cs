using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

public sealed class EveryCorpusCommandGetsItsListedDecision
{
    private static readonly CommandPolicy Policy = new();

    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (decision, command) in CommandCorpus.Cases)
            {
                data.Add(decision, command);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string expected, string command)
    {
        var assessment = Policy.Evaluate(CommandCorpus.ToCommandLine(command), CommandCorpus.Workspace);

        Assert.True(expected == assessment.Decision.ToWire(), $"expected {expected}, got {assessment.Decision.ToWire()}: {assessment.Reason}");
        AssertConsistent(assessment);
    }

    [Fact]
    public void TheCorpusIsLargeAndCoversEveryDecision()
    {
        Assert.True(CommandCorpus.Cases.Count >= 300, $"only {CommandCorpus.Cases.Count} cases");
        Assert.Equal(["approve", "block", "run"], CommandCorpus.Cases.Select(@case => @case.Decision).Distinct().Order());
        Assert.Equal(CommandCorpus.Cases.Count, CommandCorpus.Cases.Select(@case => @case.Command).Distinct().Count());
    }

    /// <summary>Decision, action type and risk level always tell the same story, and the reason quotes a segment.</summary>
    internal static void AssertConsistent(CommandAssessment assessment)
    {
        switch (assessment.Decision)
        {
            case CommandDecision.Run:
                Assert.Equal((CommandActionType.Read, RiskLevel.Low), (assessment.ActionType, assessment.RiskLevel));
                break;
            case CommandDecision.Approve:
                Assert.Contains(assessment.RiskLevel, new[] { RiskLevel.Medium, RiskLevel.High });
                Assert.DoesNotContain(assessment.ActionType, new[] { CommandActionType.Destructive, CommandActionType.Privileged });
                break;
            default:
                Assert.Equal(RiskLevel.Critical, assessment.RiskLevel);
                Assert.Contains(assessment.ActionType, new[] { CommandActionType.Destructive, CommandActionType.Privileged });
                break;
        }

        Assert.Equal(assessment.Decision == CommandDecision.Approve, assessment.RequiresApproval);
        Assert.Equal(assessment.Decision == CommandDecision.Block, assessment.Blocked);
        Assert.False(string.IsNullOrWhiteSpace(assessment.Reason));
    }
}
