using System.Diagnostics;
using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools;

public sealed class FsSearchFindsLinesWithoutLeavingTheWorkspace : IDisposable
{
    private readonly string root = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-search-").FullName);

    private string Workspace => Path.Join(root, "ws");

    private ToolContext Context => new("t", Workspace);

    public FsSearchFindsLinesWithoutLeavingTheWorkspace()
    {
        Directory.CreateDirectory(Path.Join(Workspace, "src"));
        File.WriteAllText(Path.Join(Workspace, "src", "a.cs"), "class Duck\n{\n    void Quack() { }\n}\n");
        File.WriteAllText(Path.Join(Workspace, "notes.md"), "ducks quack\nnothing here\n");
        File.WriteAllBytes(Path.Join(Workspace, "image.bin"), [0x51, 0x75, 0x61, 0x63, 0x6b, 0, 1, 2]);
        Directory.CreateDirectory(Path.Join(root, "outside"));
        File.WriteAllText(Path.Join(root, "outside", "secret.txt"), "Quack secret");
        Directory.CreateSymbolicLink(Path.Join(Workspace, "link"), Path.Join(root, "outside"));
    }

    private static FsSearchTool Tool() => new(Options.Create(new ToolsOptions { WorkspaceRoot = "/" }), TimeProvider.System);

    private static ToolAction Search(string pattern, string? path = null) =>
        new("fs_search", path is null ? new JsonObject { ["pattern"] = pattern } : new JsonObject { ["pattern"] = pattern, ["path"] = path }, null);

    [Fact]
    public async Task MatchingLinesComeWithTheirPathAndNumber()
    {
        var result = await Tool().RunAsync(Search("(?i)quack"), Context, TestContext.Current.CancellationToken);

        Assert.Equal("notes.md:1: ducks quack\nsrc/a.cs:3:     void Quack() { }\n", result.Output!.ReplaceLineEndings("\n"));
        Assert.Equal(2, result.Metadata["matches"]!.GetValue<int>());
    }

    [Fact]
    public async Task ASearchCanBeNarrowedToAFolder()
    {
        var result = await Tool().RunAsync(Search("Duck", "src"), Context, TestContext.Current.CancellationToken);

        Assert.Equal("src/a.cs:1: class Duck\n", result.Output!.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AnInvalidPatternOrAPathOutsideIsRefusedBeforeRunning()
    {
        var tool = Tool();

        Assert.Contains("not a valid regular expression", tool.Assess(Search("(unclosed"), Context).Reason, StringComparison.Ordinal);
        Assert.Equal(ToolVerdict.Invalid, tool.Assess(Search("x", "../outside"), Context).Verdict);
        Assert.Equal(ToolVerdict.Invalid, tool.Assess(Search("x", "link"), Context).Verdict);
        Assert.Equal(ToolVerdict.Run, tool.Assess(Search("x"), Context).Verdict);
    }

    [Fact(Timeout = 30_000)]
    public async Task PipesAreSkippedAndNotReadAndFsReadRefusesThem()
    {
        using (var mkfifo = Process.Start("mkfifo", [Path.Join(Workspace, "pipe")]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var search = await Tool().RunAsync(Search("quack"), Context, TestContext.Current.CancellationToken);
        var read = await new FsReadTool(Options.Create(new ToolsOptions { WorkspaceRoot = "/" })).RunAsync(new ToolAction("fs_read", new JsonObject { ["path"] = "pipe" }, null), Context, TestContext.Current.CancellationToken);

        Assert.Equal("notes.md:1: ducks quack\n", search.Output!.ReplaceLineEndings("\n"));
        Assert.Contains("not a regular file", read.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
