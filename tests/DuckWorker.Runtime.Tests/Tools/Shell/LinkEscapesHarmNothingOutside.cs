namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class LinkEscapesHarmNothingOutside : IDisposable
{
    private readonly SandboxScene scene = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AChainOfSymlinksThatClimbsOutOfTheWorkspaceDeletesNothingOutside()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        var victim = Directory.CreateDirectory(Path.Join(scene.Root, "workspaces", "victim")).FullName;
        await File.WriteAllTextAsync(Path.Join(victim, "keep.txt"), "keep", Ct);
        await File.WriteAllTextAsync(Path.Join(scene.Outside, "keep.txt"), "keep", Ct);

        // From the workspace r3 is ../.. : outside the sandbox it would name this test's own root, nothing of the host's.
        var ran = await scene.RunAsync(
            "ln -s . r; ln -s r/.. r2; ln -s r2/.. r3; ls r3/ 2>&1; rm -rf r2/victim r3/workspaces/victim r3/outside 2>&1; echo end");

        Assert.EndsWith("end\n", ran.Output, StringComparison.Ordinal);
        Assert.Equal("keep", await File.ReadAllTextAsync(Path.Join(victim, "keep.txt"), Ct));
        Assert.Equal("keep", await File.ReadAllTextAsync(Path.Join(scene.Outside, "keep.txt"), Ct));
    }

    [Fact]
    public async Task AHardLinkToAFileOutsideCannotBeMadeNorWrittenThrough()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        var outside = Path.Join(scene.Outside, "config.txt");
        await File.WriteAllTextAsync(outside, "original", Ct);

        var ran = await scene.RunAsync(
            $"ln '{outside}' linked.txt 2>&1; echo changed > linked.txt; echo end");

        Assert.EndsWith("end\n", ran.Output, StringComparison.Ordinal);
        Assert.Equal("original", await File.ReadAllTextAsync(outside, Ct));
    }

    public void Dispose() => scene.Dispose();
}
