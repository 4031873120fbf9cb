using CsCheck;
using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

/// <summary>
/// Bash runs the command substitutions in text it evaluates: arithmetic, array subscripts (even single-quoted, since a
/// subscript is expanded again when evaluated), the values of variables an expression names, and prompt strings. Hiding a
/// command there never lowers its decision, and never lets it run at once.
/// </summary>
public sealed class TextBashEvaluatesIsJudgedByTheCodeInIt
{
    private static readonly CommandPolicy Policy = new();

    /// <summary>Every construct that evaluates the text <c>a[$(C)]</c> or <c>$(C)</c>.</summary>
    public static readonly Func<string, string>[] Evaluations =
    [
        command => $"test -v {CommandGenerators.SingleQuoted($"a[$({command})]")}",
        command => $"[ -v {CommandGenerators.SingleQuoted($"a[$({command})]")} ]",
        command => $"[[ -v {CommandGenerators.SingleQuoted($"a[$({command})]")} ]]",
        command => $"x={CommandGenerators.SingleQuoted($"a[$({command})]")}; echo $((x))",
        command => $"x={CommandGenerators.SingleQuoted($"a[$({command})]")}; (( x + 1 ))",
        command => $"x={CommandGenerators.SingleQuoted($"a[$({command})]")}; [[ $x -eq 1 ]]",
        command => $"[[ {CommandGenerators.SingleQuoted($"a[$({command})]")} -lt 2 ]]",
        command => $"let {CommandGenerators.SingleQuoted($"a[$({command})]")}",
        command => $"printf -v {CommandGenerators.SingleQuoted($"a[$({command})]")} x",
        command => $"read {CommandGenerators.SingleQuoted($"a[$({command})]")} < /dev/null",
        command => $"mapfile -t {CommandGenerators.SingleQuoted($"a[$({command})]")} < /dev/null",
        command => $"unset {CommandGenerators.SingleQuoted($"a[$({command})]")}",
        command => $"declare -i y={CommandGenerators.SingleQuoted($"a[$({command})]")}",
        command => $"local -i y={CommandGenerators.SingleQuoted($"a[$({command})]")}",
        command => $"export {CommandGenerators.SingleQuoted($"a[$({command})]=1")}",
        command => $"x={CommandGenerators.SingleQuoted($"$({command})")}; echo ${{x@P}}",
        command => $"echo \"${{a['$({command})']}}\"",
        command => $"bash -c {CommandGenerators.SingleQuoted($"test -v {CommandGenerators.SingleQuoted($"a[$({command})]")}")}",
        command => $"mapfile -C {CommandGenerators.SingleQuoted(command)} -c 1 a < /dev/null",
        command => $"complete -C {CommandGenerators.SingleQuoted(command)} ls",
    ];

    [Fact]
    public void HidingACommandInEvaluatedTextNeverLowersItsDecision()
    {
        Gen.Select(Gen.OneOf(CommandGenerators.Blocked, Gen.OneOf(CommandGenerators.NeedsApproval)), Gen.OneOf(Evaluations))
            .Sample(
                (command, evaluate) =>
                {
                    var alone = Policy.Evaluate(command, CommandGenerators.Workspace).Decision;
                    var hidden = Policy.Evaluate(evaluate(command), CommandGenerators.Workspace);
                    Assert.True(hidden.Decision >= alone && hidden.Decision != CommandDecision.Run, $"{evaluate(command)} was {hidden.Decision}, below {alone}: {hidden.Reason}");
                },
                iter: 1500,
                print: sample => sample.Item2(sample.Item1));
    }

    [Fact]
    public void EveryEvaluationOfADestructiveCommandIsBlocked()
    {
        foreach (var evaluate in Evaluations)
        {
            foreach (var command in new[] { "rm -rf /tmp/x", "cat /proc/$PPID/environ", "sudo id" })
            {
                Assert.True(Policy.Evaluate(evaluate(command), CommandGenerators.Workspace).Blocked, evaluate(command));
            }
        }
    }

    [Theory]
    [InlineData("read -r x; echo $((x))")]
    [InlineData("x=$(cat notes.txt); (( x > 1 ))")]
    [InlineData("read -r n; test -v \"a[$n]\"")]
    [InlineData("x=$(cat name.txt); printf -v \"$x\" 1")]
    [InlineData("x=$(cat prompt.txt); echo ${x@P}")]
    public void AValueThePolicyCannotKnowNeedsApprovalWhereBashEvaluatesIt(string command)
    {
        Assert.Equal(CommandDecision.Approve, Policy.Evaluate(command, CommandGenerators.Workspace).Decision);
    }

    [Theory]
    [InlineData("echo $((1 + 2))")]
    [InlineData("i=3; echo $((i * 2))")]
    [InlineData("for ((i = 0; i < 3; i++)); do echo $i; done")]
    [InlineData("[[ $# -eq 0 ]] && echo none")]
    [InlineData("x=2; [[ $x -gt 1 ]] && echo big")]
    [InlineData("a=(1 2 3); echo ${a[1]} ${#a[@]}")]
    [InlineData("read -r line < notes.txt; echo \"$line\"")]
    [InlineData("declare -i n=4; echo $n")]
    public void PlainArithmeticStillRuns(string command)
    {
        Assert.Equal(CommandDecision.Run, Policy.Evaluate(command, CommandGenerators.Workspace).Decision);
    }
}
