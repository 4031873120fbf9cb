using DuckWorker.Policy;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.Shell;

namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class TheSandboxModeFollowsTheSetting : IDisposable
{
    private const string NoBubblewrap = "/nonexistent/bwrap";

    private readonly SandboxScene scene = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] Errors(ToolsOptions options) =>
        new ToolsOptionsValidator(new BubblewrapProbe()).Validate(null, options).Failures?.ToArray() ?? [];

    [Theory]
    [InlineData("auto")]
    [InlineData("AUTO")]
    [InlineData("Off")]
    [InlineData("off")]
    public void TheModeIsReadInAnyCase(string value) =>
        Assert.Empty(Errors(SandboxScene.Options(value)));

    [Fact]
    public void RequiredIsAcceptedWhereBubblewrapWorks()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();

        Assert.Empty(Errors(SandboxScene.Options("Required")));
    }

    [Theory]
    [InlineData("sideways")]
    [InlineData("1")]
    [InlineData("")]
    public void AnUnknownModeIsAnErrorThatNamesTheKey(string value) =>
        Assert.Contains(Errors(SandboxScene.Options(value)), e => e.StartsWith("Tools:Sandbox must be 'auto'", StringComparison.Ordinal) && e.Contains($"'{value}'", StringComparison.Ordinal));

    [Fact]
    public void RequiredWithoutBubblewrapIsAnErrorThatNamesTheKeyAndHowToInstallIt()
    {
        var error = Assert.Single(Errors(SandboxScene.Options("required", o => o.BubblewrapPath = NoBubblewrap)));

        Assert.StartsWith("Tools:Sandbox is 'required' but bubblewrap cannot run shell commands here", error, StringComparison.Ordinal);
        Assert.Contains(NoBubblewrap, error, StringComparison.Ordinal);
        Assert.Contains("Tools:BubblewrapPath", error, StringComparison.Ordinal);
        Assert.Contains("apt-get install bubblewrap", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CpuSeconds")]
    [InlineData("MemoryMegabytes")]
    [InlineData("FileMegabytes")]
    [InlineData("Processes")]
    public void ALimitOutOfRangeIsAnErrorThatNamesTheKey(string limit)
    {
        var options = SandboxScene.Options("off");
        typeof(ShellLimits).GetProperty(limit)!.SetValue(options.Limits, 0);

        Assert.Contains(Errors(options), e => e.StartsWith($"Tools:Limits:{limit} must be between", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AutoWithoutBubblewrapRunsUnconfinedAndSaysWhy()
    {
        var options = SandboxScene.Options("auto", o => o.BubblewrapPath = NoBubblewrap);

        var confinement = SandboxScene.Sandbox(options).Confinement;
        var ran = await SandboxScene.Runner(options).RunAsync("pwd", scene.Workspace, ShellNetwork.Denied, Ct);

        Assert.False(confinement.Sandboxed);
        Assert.False(confinement.Refused);
        Assert.Contains("UNCONFINED", confinement.Reason, StringComparison.Ordinal);
        Assert.Contains(NoBubblewrap, confinement.Reason, StringComparison.Ordinal);
        Assert.Equal((0, scene.Workspace + "\n"), (ran.ExitCode, ran.Output));
    }

    [Fact]
    public void OffNeverProbesAndSaysSo()
    {
        var confinement = SandboxScene.Sandbox(SandboxScene.Options("off", o => o.BubblewrapPath = NoBubblewrap)).Confinement;

        Assert.Equal((false, false), (confinement.Sandboxed, confinement.Refused));
        Assert.Contains("Tools:Sandbox is off", confinement.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequiredWithoutBubblewrapRunsNoCommandAndTheToolSaysWhy()
    {
        var tool = new ShellExecTool(new CommandPolicy(), SandboxScene.Runner(SandboxScene.Options("required", o => o.BubblewrapPath = NoBubblewrap)));

        var result = await tool.RunAsync(new ToolAction(ToolNames.Shell, new() { ["command"] = "touch made.txt" }, null), new ToolContext("t", scene.Workspace), Ct);

        Assert.False(result.Ok);
        Assert.StartsWith("The sandbox (bubblewrap) did not run the command: Tools:Sandbox is required", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(scene.Workspace, "made.txt")));
    }

    [Fact]
    public async Task ASandboxThatCannotStartEndsTheCallWithItsOwnMessageAndTheNextCallRuns()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        var tool = new ShellExecTool(new CommandPolicy(), SandboxScene.Runner(SandboxScene.Options()));
        var gone = Path.Join(scene.Root, "workspaces", "deleted");

        var failed = await tool.RunAsync(new ToolAction(ToolNames.Shell, new() { ["command"] = "echo hi" }, null), new ToolContext("t", gone), Ct);
        var next = await tool.RunAsync(new ToolAction(ToolNames.Shell, new() { ["command"] = "echo hi" }, null), new ToolContext("t", scene.Workspace), Ct);

        Assert.False(failed.Ok);
        Assert.StartsWith("The sandbox (bubblewrap) did not run the command: bwrap: ", failed.Error, StringComparison.Ordinal);
        Assert.Contains(gone, failed.Error, StringComparison.Ordinal);
        Assert.Equal((true, "hi\n"), (next.Ok, next.Output));
    }

    public void Dispose() => scene.Dispose();
}
