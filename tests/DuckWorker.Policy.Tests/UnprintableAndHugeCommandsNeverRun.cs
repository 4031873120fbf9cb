using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

/// <summary>Cases a text corpus cannot hold: NUL and control characters, look-alike letters, very long lines.</summary>
public sealed class UnprintableAndHugeCommandsNeverRun
{
    private const string Workspace = "/work/ws";
    private static readonly CommandPolicy Policy = new();

    public static TheoryData<string> HiddenCharacterLines =>
    [
        "ls\u0000 -la",
        "ls -la\u0000",
        "cat\u0000/etc/passwd",
        "ls\u0007",
        "ls\r",
        "echo hi\u001b[2J",
        "ls \u007f",
        "ls\u0085",
        "echo \u202eexe.txt",
        "ls\u200b -la",
        "l\u00ads",
        "echo \ufeffhi",
        "ls \u2066x\u2069",
        "echo \ue000",
    ];

    public static TheoryData<string> LookAlikeCommandNames =>
    [
        "\u0433m -rf build",
        "r\u043c -rf build",
        "\u0455udo ls",
        "\uff52\uff4d -rf build",
        "\uff4c\uff53",
        "l\u0455 -la",
        "ls\u00a0-la",
        "\u0441at README.md",
        "\u217cs",
        "ech\u043e hi",
    ];

    [Theory]
    [MemberData(nameof(HiddenCharacterLines))]
    public void HiddenCharactersNeedApproval(string commandLine)
    {
        var assessment = Policy.Evaluate(commandLine, Workspace);

        Assert.Equal(CommandDecision.Approve, assessment.Decision);
        Assert.Equal(commandLine, assessment.NormalizedCommand);
    }

    [Theory]
    [MemberData(nameof(LookAlikeCommandNames))]
    public void LookAlikeCommandNamesNeedApproval(string commandLine)
    {
        var assessment = Policy.Evaluate(commandLine, Workspace);

        Assert.Equal(CommandDecision.Approve, assessment.Decision);
        Assert.Contains("non-ASCII", assessment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void NonAsciiArgumentsOfAReaderStillRun()
    {
        Assert.Equal(CommandDecision.Run, Policy.Evaluate("grep 'h\u00e9llo w\u00f6rld' notes.txt", Workspace).Decision);
        Assert.Equal(CommandDecision.Run, Policy.Evaluate("echo \u65e5\u672c\u8a9e", Workspace).Decision);
    }

    [Fact]
    public void ALookAlikeThatHidesARealDeleteIsStillBlocked()
    {
        Assert.Equal(CommandDecision.Block, Policy.Evaluate("\u0433m -rf build; rm -rf /", Workspace).Decision);
        Assert.Equal(CommandDecision.Block, Policy.Evaluate("ls\u0000; sudo id", Workspace).Decision);
    }

    [Fact]
    public void EscapedControlCharactersAreQuotedVisiblyInTheKey()
    {
        var assessment = Policy.Evaluate("echo $'a\\x01b'", Workspace);

        Assert.Equal(CommandDecision.Run, assessment.Decision);
        Assert.Equal("echo $'a\\x01b'", assessment.NormalizedCommand);
        Assert.DoesNotContain('\u0001', assessment.NormalizedCommand);
    }

    [Fact]
    public void AHundredKilobyteReadOnlyLineNeedsApproval()
    {
        var line = string.Join("; ", Enumerable.Repeat("ls -la src", 10_000));
        Assert.True(line.Length > 100_000);

        var assessment = Policy.Evaluate(line, Workspace);

        Assert.Equal(CommandDecision.Approve, assessment.Decision);
        Assert.Contains("8 KiB", assessment.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AHundredKilobyteLineHidingADeleteAtTheEndIsBlocked()
    {
        var line = new string(' ', 100_000) + "echo " + new string('a', 10_000) + "; rm -rf /";

        Assert.Equal(CommandDecision.Block, Policy.Evaluate(line, Workspace).Decision);
    }

    [Fact]
    public void ALineJustOverEightKibibytesNeverRuns()
    {
        var justUnder = "echo " + new string('a', CommandPolicy.MaximumReviewableLength - 5);
        var justOver = justUnder + "a";

        Assert.Equal(CommandDecision.Run, Policy.Evaluate(justUnder, Workspace).Decision);
        Assert.Equal(CommandDecision.Approve, Policy.Evaluate(justOver, Workspace).Decision);
    }

    [Fact]
    public void DeeplyNestedInputIsJudgedWithoutExhaustingTheStack()
    {
        var nested = string.Concat(Enumerable.Repeat("$(", 5_000)) + "ls" + new string(')', 5_000);
        var brackets = new string('(', 20_000) + "ls" + new string(')', 20_000);
        var shells = string.Concat(Enumerable.Repeat("bash -c \"", 40)) + "ls" + new string('"', 40);

        Assert.NotEqual(CommandDecision.Run, Policy.Evaluate("echo " + nested, Workspace).Decision);
        Assert.NotEqual(CommandDecision.Run, Policy.Evaluate(brackets, Workspace).Decision);
        Assert.NotEqual(CommandDecision.Run, Policy.Evaluate(shells, Workspace).Decision);
    }

    [Fact]
    public void DeeplyNestedShellStringsHidingADeleteAreNotRun()
    {
        var command = "rm -rf /";
        for (var level = 0; level < 10; level++)
        {
            command = "bash -c " + CommandRendererQuote(command);
        }

        Assert.NotEqual(CommandDecision.Run, Policy.Evaluate(command, Workspace).Decision);
    }

    [Fact(Timeout = 20_000)]
    public async Task NestedLoopsThatKeepChangingTheStateAreJudgedInBoundedTime()
    {
        var loops = string.Concat(Enumerable.Repeat("while true; do ", 30)) + "X=a$X; cd $X; ls" + string.Concat(Enumerable.Repeat("; done", 30));

        var assessment = await Task.Run(() => Policy.Evaluate(loops, Workspace), TestContext.Current.CancellationToken);
        var hidingADelete = await Task.Run(() => Policy.Evaluate(loops + "; rm -rf /", Workspace), TestContext.Current.CancellationToken);

        Assert.Equal(CommandDecision.Approve, assessment.Decision);
        Assert.Equal(CommandDecision.Block, hidingADelete.Decision);
    }

    [Fact(Timeout = 20_000)]
    public async Task SelfReferringShellStringsAreJudgedInBoundedTime()
    {
        const string line = "if c; then X='bash -c \"$X\"'; else X='sh -c \"$X\"'; fi; bash -c \"$X\"";

        var assessment = await Task.Run(() => Policy.Evaluate(line, Workspace), TestContext.Current.CancellationToken);

        Assert.Equal(CommandDecision.Approve, assessment.Decision);
    }

    private static string CommandRendererQuote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
