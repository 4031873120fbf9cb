namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class ResourceLimitsContainBombsAndHogs : IDisposable
{
    private readonly SandboxScene scene = new();

    [Fact(Timeout = 120_000)]
    public async Task AForkBombHitsTheProcessLimitAndEndsWithItsTimeout()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        // The kernel never counts root's processes: the workspace's owner, not root, runs the command.
        scene.GiveWorkspaceToNobody();
        var marker = $"duck-bomb-{Guid.NewGuid():N}";

        // The sleeper (named by the marker) exists before the bomb and needs no fork after it, and the shell then
        // only waits: any fork after the bomb fills the limit may fail, and a failed one ended the command early.
        var ran = await scene.RunAsync(
            $"ulimit -u; (exec -a {marker} sleep 300) & :(){{ :|:& }};:; wait",
            configure: o =>
            {
                o.ShellTimeout = TimeSpan.FromSeconds(3);
                o.Limits.Processes = 48;
            });

        Assert.StartsWith("48\n", ran.Output, StringComparison.Ordinal);
        Assert.True(ran.TimedOut);
        Assert.Empty(await SandboxScene.SurvivorsAsync(marker));
        var after = await scene.RunAsync("echo alive");
        Assert.Equal((0, "alive\n"), (after.ExitCode, after.Output));
    }

    [Fact(Timeout = 60_000)]
    public async Task AMemoryHogIsRefusedItsMemory()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();

        var ran = await scene.RunAsync(
            "head -c 400000000 /dev/zero | tr '\\0' x | { x=$(cat); echo \"held ${#x}\"; }; echo \"status $?\"",
            configure: o => o.Limits.MemoryMegabytes = 128);

        Assert.DoesNotContain("held 400000000", ran.Output, StringComparison.Ordinal);
        Assert.False(ran.TimedOut);
    }

    [Fact(Timeout = 60_000)]
    public async Task AFileCannotGrowBeyondTheFileLimit()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();

        var ran = await scene.RunAsync("head -c 3000000 /dev/zero > big.bin; echo \"status $?\"", configure: o => o.Limits.FileMegabytes = 1);

        Assert.DoesNotContain("status 0", ran.Output, StringComparison.Ordinal);
        Assert.Equal(1024 * 1024, new FileInfo(Path.Join(scene.Workspace, "big.bin")).Length);
    }

    public void Dispose() => scene.Dispose();
}
