using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Tests.Tools;

public sealed class WorkspacePathFollowsLinksLikeTheKernel : IDisposable
{
    private readonly string root = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-paths-").FullName);

    private string Workspace => Path.Join(root, "ws");

    public WorkspacePathFollowsLinksLikeTheKernel()
    {
        Directory.CreateDirectory(Path.Join(Workspace, "sub", "deeper"));
        Directory.CreateDirectory(Path.Join(root, "outside"));
    }

    [Theory]
    [InlineData("a.txt", "a.txt")]
    [InlineData("./sub/../a.txt", "a.txt")]
    [InlineData("sub/deeper/new/file.txt", "sub/deeper/new/file.txt")]
    [InlineData(".", ".")]
    public void PathsInsideResolveInside(string path, string relative)
    {
        var resolved = WorkspacePath.ResolveInside(Workspace, path, out var error);

        Assert.NotNull(resolved);
        Assert.Equal(relative, WorkspacePath.Relative(Workspace, resolved));
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../outside/x")]
    [InlineData("sub/../../outside")]
    [InlineData("/etc/passwd")]
    [InlineData("a\0.txt")]
    public void PathsOutsideAreRefused(string path)
    {
        Assert.Null(WorkspacePath.ResolveInside(Workspace, path, out var error));
        Assert.NotEqual("", error);
    }

    [Fact]
    public void AnAbsolutePathInsideTheWorkspaceIsAccepted()
    {
        Assert.Equal(Path.Join(Workspace, "sub"), WorkspacePath.ResolveInside(Workspace, Path.Join(Workspace, "sub"), out _));
    }

    [Fact]
    public void LinksAreFollowedAtEveryLevelAndRelativeToTheirFolder()
    {
        Directory.CreateSymbolicLink(Path.Join(Workspace, "sub", "up"), "../../outside");
        Directory.CreateSymbolicLink(Path.Join(Workspace, "ok"), "sub/deeper");
        File.CreateSymbolicLink(Path.Join(Workspace, "chain"), Path.Join(Workspace, "sub", "up"));

        Assert.Null(WorkspacePath.ResolveInside(Workspace, "sub/up/secret", out _));
        Assert.Null(WorkspacePath.ResolveInside(Workspace, "chain/secret", out _));
        Assert.Equal(Path.Join(root, "outside", "secret"), WorkspacePath.RealPath(Path.Join(Workspace, "chain", "secret")));
        Assert.Equal(Path.Join(Workspace, "sub", "deeper", "x"), WorkspacePath.ResolveInside(Workspace, "ok/x", out _));
    }

    [Fact]
    public void ALinkLoopIsRefusedNotFollowedForever()
    {
        File.CreateSymbolicLink(Path.Join(Workspace, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Join(Workspace, "loop2"), "loop1");

        Assert.Null(WorkspacePath.ResolveInside(Workspace, "loop1/x", out var error));
        Assert.Contains("Too many levels of symbolic links", error, StringComparison.Ordinal);
    }

    [Fact]
    public void APrefixOfTheWorkspaceNameIsNotInside()
    {
        Directory.CreateDirectory(Workspace + "-evil");

        Assert.Null(WorkspacePath.ResolveInside(Workspace, "../ws-evil/x", out _));
        Assert.False(WorkspacePath.IsInside(Workspace, Workspace + "-evil"));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
