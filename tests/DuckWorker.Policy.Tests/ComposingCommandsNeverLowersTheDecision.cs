using CsCheck;
using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

/// <summary>
/// Joining two commands never makes the result less restrictive than the riskier of them. The generators
/// leave out <c>cd</c> and assignments: those legitimately make a later command's meaning more precise.
/// </summary>
public sealed class ComposingCommandsNeverLowersTheDecision
{
    private static readonly CommandPolicy Policy = new();

    private static readonly Func<string, string, string>[] Joins =
    [
        (left, right) => $"{left}; {right}",
        (left, right) => $"{left} && {right}",
        (left, right) => $"{left} || {right}",
        (left, right) => $"{left} | {right}",
        (left, right) => $"{left}\n{right}",
        (left, right) => $"{left} & {right}",
        (left, right) => $"{{ {left}; {right}; }}",
        (left, right) => $"( {left}; {right} )",
        (left, right) => $"if {left}; then {right}; fi",
    ];

    [Fact]
    public void TheJoinIsAtLeastAsRestrictiveAsEitherPart()
    {
        Gen.Select(CommandGenerators.WellFormed, CommandGenerators.WellFormed, Gen.OneOf(Joins))
            .Sample(
                (left, right, join) =>
                {
                    var riskier = (CommandDecision)Math.Max(
                        (int)Policy.Evaluate(left, CommandGenerators.Workspace).Decision,
                        (int)Policy.Evaluate(right, CommandGenerators.Workspace).Decision);
                    var joined = Policy.Evaluate(join(left, right), CommandGenerators.Workspace);
                    Assert.True(joined.Decision >= riskier, $"{join(left, right)} was {joined.Decision}, below {riskier}: {joined.Reason}");
                },
                iter: 2000,
                print: sample => sample.Item3(sample.Item1, sample.Item2));
    }

    [Fact]
    public void ApprovalLevelCommandsNeedApprovalAlone()
    {
        foreach (var command in CommandGenerators.NeedsApproval)
        {
            Assert.True(Policy.Evaluate(command, CommandGenerators.Workspace).RequiresApproval, command);
        }
    }
}
