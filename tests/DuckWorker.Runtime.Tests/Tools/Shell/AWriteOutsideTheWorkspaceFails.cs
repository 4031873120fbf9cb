namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class AWriteOutsideTheWorkspaceFails : IDisposable
{
    private readonly SandboxScene scene = new();

    // Unique, and removed again: should the sandbox fail, the test must not leave litter in the host's system folders.
    private readonly string name = $"duck-escaped-{Guid.NewGuid():N}.txt";

    [Fact]
    public async Task OnlyTheWorkspaceTakesAWriteAndNothingIsCreatedOutsideIt()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        var outside = Path.Join(scene.Outside, "escaped.txt");
        var besideTheWorkspace = Path.Join(scene.Root, "workspaces", "escaped.txt");

        var ran = await scene.RunAsync(
            $"echo in > inside.txt; pwd; echo x > '{outside}'; echo x > ../escaped.txt; echo x > /{name}; echo x > /usr/{name}; echo x > /etc/{name}; echo x > '{besideTheWorkspace}'; echo done");

        Assert.Equal(0, ran.ExitCode);
        Assert.StartsWith("/workspace\ndone\n", ran.Output, StringComparison.Ordinal);
        Assert.Equal("in\n", await File.ReadAllTextAsync(Path.Join(scene.Workspace, "inside.txt"), TestContext.Current.CancellationToken));
        Assert.False(File.Exists(outside));
        Assert.False(File.Exists(besideTheWorkspace));
        Assert.False(File.Exists($"/{name}"));
        Assert.False(File.Exists($"/usr/{name}"));
        Assert.False(File.Exists($"/etc/{name}"));
    }

    [Fact]
    public async Task TheHostsPrivateFilesAndFoldersDoNotExistInside()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();

        var ran = await scene.RunAsync($"ls -d /root /home/* /work /var '{scene.Root}' 2>&1; cat /etc/shadow /etc/gshadow 2>/dev/null | wc -c; echo end");

        Assert.DoesNotContain("/root\n", ran.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(scene.Root + "\n", ran.Output, StringComparison.Ordinal);
        Assert.Contains("/home/sandbox", ran.Output, StringComparison.Ordinal);
        Assert.EndsWith("0\nend\n", ran.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        scene.Dispose();
        foreach (var litter in new[] { $"/{name}", $"/usr/{name}", $"/etc/{name}" })
        {
            File.Delete(litter);
        }
    }
}
