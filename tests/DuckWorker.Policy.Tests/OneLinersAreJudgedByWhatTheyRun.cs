using CsCheck;
using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

/// <summary>
/// A one-liner in another language that runs a literal shell command is at least as restricted as that command, and
/// never runs at once; fork bombs are blocked in every language; literal deletions outside the workspace are blocked.
/// </summary>
public sealed class OneLinersAreJudgedByWhatTheyRun
{
    private static readonly CommandPolicy Policy = new();

    /// <summary>Ways to run the shell text <c>C</c> from another language; <c>C</c> arrives escaped for a double-quoted string.</summary>
    public static readonly Func<string, string>[] Wrappings =
    [
        command => $"python3 -c {CommandGenerators.SingleQuoted($"import os; os.system(\"{command}\")")}",
        command => $"python -c {CommandGenerators.SingleQuoted($"import subprocess; subprocess.run(\"{command}\", shell=True)")}",
        command => $"python3 -c {CommandGenerators.SingleQuoted($"import subprocess\nsubprocess.check_output(\"{command}\", shell=True)")}",
        command => $"node -e {CommandGenerators.SingleQuoted($"require(\"child_process\").execSync(\"{command}\")")}",
        command => $"node -p {CommandGenerators.SingleQuoted($"require(\"child_process\").exec(\"{command}\")")}",
        command => $"perl -e {CommandGenerators.SingleQuoted($"system(\"{command}\")")}",
        command => $"perl -e {CommandGenerators.SingleQuoted($"exec \"{command}\"")}",
        command => $"ruby -e {CommandGenerators.SingleQuoted($"system(\"{command}\")")}",
        command => $"php -r {CommandGenerators.SingleQuoted($"shell_exec(\"{command}\");")}",
        command => $"bash -c {CommandGenerators.SingleQuoted($"python3 -c {CommandGenerators.DoubleQuoted($"import os; os.system(\"{command}\")")}")}",
        command => $"echo {CommandGenerators.SingleQuoted($"import os; os.system(\"{command}\")")} | python3",
    ];

    private static string Escaped(string command) => command.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    [Fact]
    public void AOneLinerIsAtLeastAsRestrictedAsTheCommandItRuns()
    {
        Gen.Select(CommandGenerators.WellFormed, Gen.OneOf(Wrappings))
            .Sample(
                (command, wrap) =>
                {
                    var alone = Policy.Evaluate(command, CommandGenerators.Workspace).Decision;
                    var wrapped = Policy.Evaluate(wrap(Escaped(command)), CommandGenerators.Workspace);
                    Assert.True(wrapped.Decision >= alone && wrapped.Decision != CommandDecision.Run, $"{wrap(Escaped(command))} was {wrapped.Decision}, below {alone}: {wrapped.Reason}");
                },
                iter: 1500,
                print: sample => sample.Item2(Escaped(sample.Item1)));
    }

    [Theory]
    [InlineData("python3 -c 'import os\nwhile True: os.fork()'")]
    [InlineData("python3 -c 'import os\nwhile 1:\n    os.fork()'")]
    [InlineData("perl -e 'fork while 1'")]
    [InlineData("perl -e 'fork while fork'")]
    [InlineData("perl -e '1 while fork'")]
    [InlineData("ruby -e 'loop { fork }'")]
    [InlineData("node -e 'while(1){require(\"child_process\").fork(__filename)}'")]
    [InlineData("php -r 'while(1) pcntl_fork();'")]
    [InlineData(":(){ :|:& };:")]
    [InlineData("bomb(){ bomb|bomb& };bomb")]
    public void ForkBombsAreBlocked(string command)
    {
        Assert.True(Policy.Evaluate(command, CommandGenerators.Workspace).Blocked, command);
    }

    [Theory]
    [InlineData("python3 -c 'import shutil; shutil.rmtree(\"/\")'", CommandDecision.Block)]
    [InlineData("python3 -c 'import os; os.remove(\"/etc/passwd\")'", CommandDecision.Block)]
    [InlineData("node -e 'require(\"fs\").rmSync(\"/\", {recursive:true})'", CommandDecision.Block)]
    [InlineData("node -e 'require(\"fs\").writeFileSync(\"/etc/x\", \"y\")'", CommandDecision.Block)]
    [InlineData("perl -e 'unlink \"/etc/passwd\"'", CommandDecision.Block)]
    [InlineData("python3 -c 'import shutil; shutil.rmtree(\"build\")'", CommandDecision.Approve)]
    public void LiteralDeletionsAndWritesAreCheckedLikeAnyOther(string command, CommandDecision decision)
    {
        Assert.Equal(decision, Policy.Evaluate(command, CommandGenerators.Workspace).Decision);
    }
}
