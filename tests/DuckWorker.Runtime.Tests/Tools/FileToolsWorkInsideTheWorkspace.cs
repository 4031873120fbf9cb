using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools;

public sealed class FileToolsWorkInsideTheWorkspace : IDisposable
{
    private readonly string workspace = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-fs-").FullName);
    private readonly IOptions<ToolsOptions> options = Options.Create(new ToolsOptions { WorkspaceRoot = "/", MaxOutputBytes = 4096 });

    private ToolContext Context => new("t1", workspace);

    private static ToolAction Action(string tool, object args) =>
        new(tool, JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(args))!.AsObject(), null);

    [Fact]
    public async Task FsListShowsFoldersFirstThenFilesWithSizes()
    {
        Directory.CreateDirectory(Path.Join(workspace, "zdir"));
        File.WriteAllText(Path.Join(workspace, "a.txt"), "12345");
        var tool = new FsListTool();
        var action = Action("fs_list", new { });

        var result = await tool.RunAsync(action, Context, TestContext.Current.CancellationToken);

        Assert.Equal(ToolVerdict.Run, tool.Assess(action, Context).Verdict);
        Assert.Equal("zdir/\na.txt\t5\n", result.Output!.ReplaceLineEndings("\n"));
        Assert.Equal(2, result.Metadata["entries"]!.GetValue<int>());
    }

    [Fact]
    public async Task FsReadReadsTextAndExplainsWhatItCannotRead()
    {
        File.WriteAllText(Path.Join(workspace, "a.txt"), "héllo wörld");
        Directory.CreateDirectory(Path.Join(workspace, "dir"));
        var tool = new FsReadTool(options);

        var text = await tool.RunAsync(Action("fs_read", new { path = "a.txt", maxBytes = 6 }), Context, TestContext.Current.CancellationToken);
        var folder = await tool.RunAsync(Action("fs_read", new { path = "dir" }), Context, TestContext.Current.CancellationToken);
        var missing = await tool.RunAsync(Action("fs_read", new { path = "b.txt" }), Context, TestContext.Current.CancellationToken);

        Assert.Equal("héllo", text.Output);
        Assert.True(text.Metadata["truncated"]!.GetValue<bool>());
        Assert.Equal("'dir' is a folder; use fs_list.", folder.Error);
        Assert.Equal("'b.txt' does not exist.", missing.Error);
        Assert.Equal(ToolVerdict.Invalid, tool.Assess(Action("fs_read", new { }), Context).Verdict);
    }

    [Fact]
    public async Task FsWriteNeedsApprovalForThatFileOnlyAndCreatesItsFolders()
    {
        var tool = new FsWriteTool();
        var action = Action("fs_write", new { path = "notes/../notes/new/todo.md", content = "- [ ] feed ducks" });

        var assessment = tool.Assess(action, Context);
        var result = await tool.RunAsync(action, Context, TestContext.Current.CancellationToken);

        Assert.Equal(ToolVerdict.Approve, assessment.Verdict);
        Assert.Equal(new NormalizedAction("fs_write", "notes/new/todo.md"), assessment.Action);
        Assert.Contains("'notes/new/todo.md' (any content) in the workspace " + workspace, assessment.ForeverScope, StringComparison.Ordinal);
        Assert.True(result.Ok);
        Assert.Equal("- [ ] feed ducks", File.ReadAllText(Path.Join(workspace, "notes", "new", "todo.md")));
        Assert.Equal(ToolVerdict.Invalid, tool.Assess(Action("fs_write", new { path = "x.txt" }), Context).Verdict);
        Assert.Equal(ToolVerdict.Invalid, tool.Assess(Action("fs_write", new { path = "notes", content = "x" }), Context).Verdict);
        Assert.Equal(ToolVerdict.Invalid, tool.Assess(Action("fs_write", new { path = "../x.txt", content = "x" }), Context).Verdict);
    }

    [Fact]
    public async Task APathSwappedForALinkAfterApprovalIsStillRefused()
    {
        var tool = new FsWriteTool();
        var outside = Directory.CreateTempSubdirectory("duck-outside-").FullName;
        var action = Action("fs_write", new { path = "late/target.txt", content = "x" });
        Assert.Equal(ToolVerdict.Approve, tool.Assess(action, Context).Verdict);
        Directory.CreateSymbolicLink(Path.Join(workspace, "late"), outside);

        var result = await tool.RunAsync(action, Context, TestContext.Current.CancellationToken);

        Assert.False(result.Ok);
        Assert.False(File.Exists(Path.Join(outside, "target.txt")));
        Directory.Delete(outside, recursive: true);
    }

    public void Dispose() => Directory.Delete(workspace, recursive: true);
}
