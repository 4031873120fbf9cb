namespace DuckWorker.Runtime.Tests.Tools.Shell;

/// <summary>
/// A workspace is often a repository someone else wrote: its configuration files must not reach outside the
/// sandbox, and those a home folder would hold are not even read, for the home is elsewhere.
/// </summary>
public sealed class PlantedConfigurationRunsNothingOutside : IDisposable
{
    private readonly SandboxScene scene = new();

    private readonly string hostTmpMarker = Path.Join("/tmp", $"duck-planted-{Guid.NewGuid():N}");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Touch(string name) =>
        $"touch {scene.Outside}/{name} {scene.Root}/{name} {hostTmpMarker}-{name} /workspace/{name}-ran-inside";

    [Fact]
    public async Task AHomeGitconfigAndLesskeyInTheWorkspaceAreNotRead()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        Assert.Equal(0, (await scene.RunAsync("git init -q . && echo hello > README.md")).ExitCode);
        await File.WriteAllTextAsync(Path.Join(scene.Workspace, ".gitconfig"), $"""
            [core]
                fsmonitor = "{Touch("fsmonitor")}; false"
                pager = "{Touch("pager")}; cat"
            [alias]
                st = "!{Touch("alias")}"
            """, Ct);
        await File.WriteAllTextAsync(Path.Join(scene.Workspace, ".lesskey"), $"#command\nq shell {Touch("lesskey")}\n#env\nLESSOPEN=|{Touch("lessopen")}; cat %s\n", Ct);

        var ran = await scene.RunAsync("git status --short; git -p log 2>&1; git st 2>&1; git config --get alias.st; less README.md; echo end");

        Assert.EndsWith("hello\nend\n", ran.Output.Split("\n[stderr]\n")[0], StringComparison.Ordinal);
        Assert.Contains("'st' is not a git command", ran.Output, StringComparison.Ordinal);
        foreach (var name in new[] { "fsmonitor", "pager", "alias", "lesskey", "lessopen" })
        {
            AssertNowhere(name, orInside: true);
        }
    }

    [Fact]
    public async Task ARepositorysOwnFsmonitorRunsOnlyInsideTheSandbox()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        Assert.Equal(0, (await scene.RunAsync("git init -q . && echo hello > README.md")).ExitCode);
        await File.AppendAllTextAsync(Path.Join(scene.Workspace, ".git", "config"), $"""
            [core]
                fsmonitor = "{Touch("repo-fsmonitor")}; false"
            """, Ct);

        await scene.RunAsync("git status --short; echo end");

        Assert.True(File.Exists(Path.Join(scene.Workspace, "repo-fsmonitor-ran-inside")), "the planted hook did not run at all: this test proves nothing");
        AssertNowhere("repo-fsmonitor", orInside: false);
    }

    public void Dispose()
    {
        scene.Dispose();
        foreach (var marker in Directory.EnumerateFiles("/tmp", Path.GetFileName(hostTmpMarker) + "*"))
        {
            File.Delete(marker);
        }
    }

    private void AssertNowhere(string name, bool orInside)
    {
        Assert.False(File.Exists(Path.Join(scene.Outside, name)), $"{name} wrote outside the workspace");
        Assert.False(File.Exists(Path.Join(scene.Root, name)), $"{name} wrote into the workspace root");
        Assert.False(File.Exists($"{hostTmpMarker}-{name}"), $"{name} wrote into the host's /tmp");
        if (orInside)
        {
            Assert.False(File.Exists(Path.Join(scene.Workspace, $"{name}-ran-inside")), $"{name} was read and ran");
        }
    }
}
