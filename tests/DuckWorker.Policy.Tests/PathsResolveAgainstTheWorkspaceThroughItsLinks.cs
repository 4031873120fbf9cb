using DuckWorker.Policy;
using DuckWorker.Policy.Judging;
using DuckWorker.Policy.Rules;

namespace DuckWorker.Policy.Tests;

public sealed class PathsResolveAgainstTheWorkspaceThroughItsLinks
{
    private static readonly PathResolver Resolver = new("/work/ws");
    private static readonly ShellState AtWorkspace = ShellState.Start("/work/ws");

    private static ResolvedPath Resolve(string text, ShellState? state = null) => Assert.Single(Resolver.Resolve(text, state ?? AtWorkspace));

    [Theory]
    [InlineData("a.txt", "/work/ws/a.txt", nameof(PathScope.Workspace))]
    [InlineData("./src/../a.txt", "/work/ws/a.txt", nameof(PathScope.Workspace))]
    [InlineData(".", "/work/ws", nameof(PathScope.Workspace))]
    [InlineData("..", "/work", nameof(PathScope.Outside))]
    [InlineData("src/../../x", "/work/x", nameof(PathScope.Outside))]
    [InlineData("/work/ws/a", "/work/ws/a", nameof(PathScope.Workspace))]
    [InlineData("/work/wsx", "/work/wsx", nameof(PathScope.Outside))]
    [InlineData("//etc///passwd", "/etc/passwd", nameof(PathScope.Outside))]
    [InlineData("/../../etc", "/etc", nameof(PathScope.Outside))]
    public void LiteralPathsResolveAgainstTheWorkingDirectory(string text, string path, string scope)
    {
        var resolved = Resolve(text);

        Assert.Equal((path, scope), (resolved.Path, resolved.Scope.ToString()));
    }

    [Fact]
    public void TheHomeDirectoryIsOutsideAndAboveItIsHome()
    {
        Assert.Equal(PathScope.Outside, Resolve(Sentinel.Home + "/x").Scope);
        Assert.Equal("~/x", Resolve(Sentinel.Home + "/x").Display);
        Assert.Equal("/home/other", Resolve(Sentinel.Home + "/../other").Path);
    }

    [Fact]
    public void UnknownPartsDecideByWhereTheyStart()
    {
        Assert.Equal(PathScope.Anywhere, Resolve(Sentinel.Unknown + "/x").Scope);
        Assert.Equal(PathScope.Anywhere, Resolve("/" + Sentinel.Unknown).Scope);
        Assert.Equal(PathScope.WorkspaceUncertain, Resolve("build/" + Sentinel.Unknown).Scope);
        Assert.Equal(PathScope.Outside, Resolve("/etc/" + Sentinel.Unknown).Scope);
        Assert.Equal(PathScope.Anywhere, Resolve("build/" + Sentinel.Unknown + "/../../x").Scope);
        Assert.Equal(PathScope.Anywhere, Resolve("a.txt", AtWorkspace.WithDirectories(null)).Scope);
    }

    [Fact]
    public void GlobsStayInsideOnlyWhenTheirDirectoryIsInside()
    {
        Assert.Equal((PathScope.Workspace, true), (Resolve(Sentinel.Star + ".txt").Scope, Resolve(Sentinel.Star + ".txt").IsPattern));
        Assert.Equal(PathScope.Outside, Resolve("/" + Sentinel.Star).Scope);
        Assert.Equal(PathScope.Outside, Resolve("/work/w" + Sentinel.Star).Scope);
        Assert.Equal(PathScope.Outside, Resolve("." + Sentinel.Star).Scope);
    }

    [Fact]
    public void EveryWorkingDirectoryIsTried()
    {
        var state = AtWorkspace.WithDirectories(["/work/ws", "/etc"]);

        Assert.Equal([PathScope.Workspace, PathScope.Outside], Resolver.Resolve("passwd", state).Select(path => path.Scope).Order());
    }

    [Theory]
    [InlineData("/etc/shadow", true)]
    [InlineData("/etc/passwd", false)]
    [InlineData("/proc/42/environ", true)]
    [InlineData("/home/bob/.ssh/id_rsa", true)]
    [InlineData("/root/.aws/credentials", true)]
    [InlineData("/opt/app/.env", true)]
    [InlineData("/opt/app/.env.production", true)]
    [InlineData("/opt/app/env", false)]
    [InlineData("/work/ws/.env", false)]
    public void SecretsAreKnownByPlace(string path, bool secret)
    {
        Assert.Equal(secret, SensitivePaths.IsSecret(Resolve(path)));
    }

    [Fact]
    public void GlobsThatCouldMatchASecretAreSecrets()
    {
        Assert.True(SensitivePaths.IsSecret(Resolve("/etc/s" + Sentinel.Star)));
        Assert.True(SensitivePaths.IsSecret(Resolve(Sentinel.Home + "/.ss" + Sentinel.Question + "/id_rsa")));
        Assert.False(SensitivePaths.IsSecret(Resolve("/etc/host" + Sentinel.Star)));
    }

    [Fact]
    public void WithoutTheWorkspaceOnDiskPathsResolveLexically()
    {
        Assert.False(Directory.Exists("/work/ws"));
        Assert.Equal("/work/ws/r4/x", Resolve("r4/x").Path);
    }

    [Fact]
    public void LinksAlreadyInTheWorkspaceAreFollowedAsTheKernelFollowsThem()
    {
        var root = Directory.CreateTempSubdirectory("duck-links-");
        try
        {
            var workspace = Directory.CreateDirectory(Path.Join(root.FullName, "ws")).FullName;
            Directory.CreateDirectory(Path.Join(workspace, "src"));
            File.CreateSymbolicLink(Path.Join(workspace, "r"), ".");
            File.CreateSymbolicLink(Path.Join(workspace, "r2"), "r/..");
            File.CreateSymbolicLink(Path.Join(workspace, "r3"), "r2/..");
            File.CreateSymbolicLink(Path.Join(workspace, "etc"), "/etc");
            File.CreateSymbolicLink(Path.Join(workspace, "loop"), "loop");
            var resolver = new PathResolver(workspace);
            ResolvedPath At(string text) => Assert.Single(resolver.Resolve(text, ShellState.Start(workspace)));

            Assert.Equal((workspace + "/src/a", PathScope.Workspace), (At("r/src/a").Path, At("r/src/a").Scope));
            Assert.Equal((root.FullName + "/other", PathScope.Outside), (At("r2/other").Path, At("r2/other").Scope));
            Assert.Equal(PathScope.Outside, At("r3/x").Scope);
            Assert.Equal(("/etc/passwd", PathScope.Outside), (At("etc/passwd").Path, At("etc/passwd").Scope));
            Assert.Equal(PathScope.Anywhere, At("loop/x").Scope);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }
}
