namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class AnotherWorkspaceIsInvisible : IDisposable
{
    private readonly SandboxScene scene = new();

    [Fact]
    public async Task NeitherASiblingWorkspaceNorTheWorkspaceRootCanBeReadOrChanged()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        await File.WriteAllTextAsync(Path.Join(scene.Sibling, "secret.txt"), "other task's secret", TestContext.Current.CancellationToken);

        var ran = await scene.RunAsync(
            $"cat '{scene.Sibling}/secret.txt' ../other/secret.txt 2>&1; ls '{scene.Root}/workspaces' .. 2>&1; rm -rf '{scene.Sibling}' ../other 2>&1; echo end");

        Assert.DoesNotContain("other task's secret", ran.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("other\n", ran.Output, StringComparison.Ordinal);
        Assert.Equal("other task's secret", await File.ReadAllTextAsync(Path.Join(scene.Sibling, "secret.txt"), TestContext.Current.CancellationToken));
    }

    public void Dispose() => scene.Dispose();
}
