using CsCheck;
using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

/// <summary>
/// Programs take options, code and output files from their environment: only a short list of variables known to be
/// inert passes without approval, and those that load code or redirect output are blocked however they are passed.
/// </summary>
public sealed class TheEnvironmentACommandGetsIsJudged
{
    private static readonly CommandPolicy Policy = new();

    private static readonly string[] Inert = ["LC_ALL", "LC_MESSAGES", "LANG", "TZ", "COLUMNS", "NO_COLOR", "TERM", "CI", "GIT_AUTHOR_NAME"];

    private static readonly string[] BlockedNames =
    [
        "GIT_TRACE", "GIT_TRACE_PACKET", "GIT_DIR", "GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_PAGER", "GIT_EDITOR",
        "GIT_CONFIG_GLOBAL", "GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "TAR_OPTIONS", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT",
        "OPENSSL_CONF", "GCONV_PATH", "BASH_ENV", "ENV", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "PERL5OPT",
        "PERL5LIB", "PYTHONSTARTUP", "PYTHONPATH", "NODE_OPTIONS", "RUBYOPT", "LESSOPEN", "LESSCLOSE", "LESSKEYIN", "LESS",
        "PAGER", "EDITOR", "VISUAL", "HOME", "XDG_CONFIG_HOME", "JAVA_TOOL_OPTIONS", "XZ_OPT", "npm_config_script_shell",
    ];

    private static readonly Func<string, string, string>[] Passings =
    [
        (assignment, command) => $"{assignment} {command}",
        (assignment, command) => $"env {assignment} {command}",
        (assignment, command) => $"export {assignment}; {command}",
        (assignment, command) => $"declare -x {assignment}; {command}",
        (assignment, command) => $"command env {assignment} {command}",
        (assignment, command) => $"bash -c {CommandGenerators.SingleQuoted($"{assignment} {command}")}",
        (assignment, command) => $"echo x | xargs env {assignment} {command}",
    ];

    private static Gen<string> Value { get; } = Gen.OneOf("1", "/root/.ssh/authorized_keys", "--checkpoint-action=exec=sh", "./x.so", "'|cat %s'");

    /// <summary>Upper-case names that are neither inert nor on a list: a program may read them.</summary>
    private static Gen<string> UnknownName { get; } =
        Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ_"].Array[2, 10].Select(chars => "X" + new string(chars)).Where(name => !name.EndsWith("OPT", StringComparison.Ordinal));

    [Fact]
    public void AnyVariableNotKnownToBeInertNeedsApprovalBeforeACommandThatRuns()
    {
        Gen.Select(Gen.OneOf(UnknownName, Gen.OneOf(BlockedNames)), Value, CommandGenerators.ReadOnly, Gen.OneOf(Passings))
            .Sample(
                (name, value, command, pass) =>
                {
                    var line = pass($"{name}={value}", command);
                    var assessment = Policy.Evaluate(line, CommandGenerators.Workspace);
                    Assert.True(assessment.Decision != CommandDecision.Run, $"{line} runs: {assessment.Reason}");
                },
                iter: 1000,
                print: sample => sample.Item4($"{sample.Item1}={sample.Item2}", sample.Item3));
    }

    [Fact]
    public void VariablesThatLoadCodeOrRedirectOutputAreBlockedHoweverTheyArePassed()
    {
        var blocked = Gen.OneOf(
            Gen.OneOf(BlockedNames),
            Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ_"].Array[1, 8].Select(chars => "GIT_" + new string(chars)).Where(name => !name.StartsWith("GIT_AUTHOR_", StringComparison.Ordinal) && !name.StartsWith("GIT_COMMITTER_", StringComparison.Ordinal) && name is not ("GIT_TERMINAL_PROMPT" or "GIT_OPTIONAL_LOCKS")),
            Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ_"].Array[1, 8].Select(chars => "LD_" + new string(chars)),
            Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ"].Array[1, 8].Select(chars => new string(chars) + "_OPTIONS"),
            Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ"].Array[1, 8].Select(chars => new string(chars) + "_CONF"));
        Gen.Select(blocked, Value, CommandGenerators.ReadOnly, Gen.OneOf(Passings))
            .Sample(
                (name, value, command, pass) =>
                {
                    var line = pass($"{name}={value}", command);
                    var assessment = Policy.Evaluate(line, CommandGenerators.Workspace);
                    Assert.True(assessment.Blocked, $"{line} was {assessment.Decision}: {assessment.Reason}");
                },
                iter: 1000,
                print: sample => sample.Item4($"{sample.Item1}={sample.Item2}", sample.Item3));
    }

    [Fact]
    public void InertVariablesKeepAReaderRunning()
    {
        Gen.Select(Gen.OneOf(Inert), Gen.OneOf("C", "en_US.UTF-8", "UTC", "120", "1"), CommandGenerators.ReadOnly)
            .Sample(
                (name, value, command) => Policy.Evaluate($"{name}={value} {command}", CommandGenerators.Workspace).Decision == CommandDecision.Run,
                iter: 300);
    }

    [Theory]
    [InlineData("declare -x LC_OPTIONS=/root/.ssh/authorized_keys; git branch")]
    [InlineData("LC_CONF=/etc/x git status")]
    [InlineData("export LC_FOO_OPTS=--exec=sh; ls")]
    public void AnLcNameThatIsNoLocaleCategoryIsJudgedByItsEnding(string command) =>
        Assert.True(Policy.Evaluate(command, CommandGenerators.Workspace).Blocked, command);

    [Theory]
    [InlineData("OPTS=-la; ls $OPTS")]
    [InlineData("config=debug; echo $config")]
    [InlineData("GIT_BRANCH=main; echo $GIT_BRANCH")]
    public void ShellVariablesThatAreNotExportedStayHarmless(string command)
    {
        Assert.NotEqual(CommandDecision.Block, Policy.Evaluate(command, CommandGenerators.Workspace).Decision);
    }
}
