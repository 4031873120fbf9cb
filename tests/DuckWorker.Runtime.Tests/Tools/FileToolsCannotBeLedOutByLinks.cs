using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools;

/// <summary>
/// The escapes of issue 12 through symbolic links, tried on fs_read and fs_write: each must be refused
/// without touching anything outside the workspace, here another workspace under the same root.
/// </summary>
public sealed class FileToolsCannotBeLedOutByLinks : IDisposable
{
    private readonly string root = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-links-").FullName);

    public FileToolsCannotBeLedOutByLinks()
    {
        Directory.CreateDirectory(Workspace);
        File.WriteAllText(Path.Join(Workspace, "mine.txt"), "mine");
        Directory.CreateDirectory(Path.Join(root, "other"));
        File.WriteAllText(Secret, "the other workspace's secret");
    }

    private string Workspace => Path.Join(root, "ws");

    private string Secret => Path.Join(root, "other", "secret.txt");

    private ToolContext Context => new("t", Workspace);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ToolAction Action(string tool, string path, string? content = null) =>
        new(tool, content is null ? new JsonObject { ["path"] = path } : new JsonObject { ["path"] = path, ["content"] = content }, null);

    private static FsReadTool Reader() => new(Options.Create(new ToolsOptions { WorkspaceRoot = "/" }));

    private void Link(string name, string target) => File.CreateSymbolicLink(Path.Join(Workspace, name), target);

    [Fact]
    public async Task AChainOfLinksUpAndOutCannotReadOrWriteAnotherWorkspace()
    {
        // ln -s . r; ln -s r/.. r2; ln -s r2/.. r3: each looks harmless, r2 is the workspace root.
        Link("r", ".");
        Link("r2", "r/..");
        Link("r3", "r2/..");
        var reader = Reader();
        var writer = new FsWriteTool();

        var inside = await reader.RunAsync(Action("fs_read", "r/r/mine.txt"), Context, Ct);
        foreach (var path in new[] { "r2/other/secret.txt", "r3/" + Path.GetFileName(root) + "/other/secret.txt", "r/r2/other/secret.txt" })
        {
            var read = await reader.RunAsync(Action("fs_read", path), Context, Ct);
            var write = await writer.RunAsync(Action("fs_write", path, "overwritten"), Context, Ct);

            Assert.Equal(ToolVerdict.Invalid, reader.Assess(Action("fs_read", path), Context).Verdict);
            Assert.Equal(ToolVerdict.Invalid, writer.Assess(Action("fs_write", path, "overwritten"), Context).Verdict);
            Assert.Contains("resolves outside the workspace", read.Error, StringComparison.Ordinal);
            Assert.Contains("resolves outside the workspace", write.Error, StringComparison.Ordinal);
        }

        Assert.Equal("mine", inside.Output);
        Assert.Equal("the other workspace's secret", File.ReadAllText(Secret));
    }

    [Fact]
    public async Task ALinkToAnAbsolutePathOutsideIsRefusedEvenWhenItDangles()
    {
        Link("abs", Secret);
        Link("dangling", Path.Join(root, "other", "new.txt"));

        var read = await Reader().RunAsync(Action("fs_read", "abs"), Context, Ct);
        var write = await new FsWriteTool().RunAsync(Action("fs_write", "abs", "x"), Context, Ct);
        var create = await new FsWriteTool().RunAsync(Action("fs_write", "dangling", "x"), Context, Ct);

        Assert.False(read.Ok);
        Assert.False(write.Ok);
        Assert.False(create.Ok);
        Assert.False(File.Exists(Path.Join(root, "other", "new.txt")));
        Assert.Equal("the other workspace's secret", File.ReadAllText(Secret));
    }

    [Fact]
    public async Task ADanglingLinkInsideIsWrittenWhereTheKernelWouldWriteIt()
    {
        Link("later", "made/later.txt");

        var write = await new FsWriteTool().RunAsync(Action("fs_write", "later", "made"), Context, Ct);

        Assert.True(write.Ok, write.Error);
        Assert.Equal("made/later.txt", write.Metadata[ToolMetadata.Path]!.GetValue<string>());
        Assert.Equal("made", File.ReadAllText(Path.Join(Workspace, "made", "later.txt")));
    }

    [Fact]
    public async Task LinksIntoProcOfTheWorkerLeadOutside()
    {
        using var held = File.OpenHandle(Secret);
        Link("proc-root", "/proc/self/root");
        Link("proc-cwd", "/proc/self/cwd");
        Link("proc-fd", $"/proc/self/fd/{held.DangerousGetHandle()}");

        foreach (var path in new[] { "proc-root/etc/hostname", "proc-cwd", "proc-fd", "proc-root" + Secret })
        {
            var read = await Reader().RunAsync(Action("fs_read", path), Context, Ct);
            var write = await new FsWriteTool().RunAsync(Action("fs_write", path, "x"), Context, Ct);

            Assert.False(read.Ok, path);
            Assert.False(write.Ok, path);
        }

        Assert.Equal("the other workspace's secret", File.ReadAllText(Secret));
    }

    [Theory]
    [InlineData("loop1", "loop2", "loop2", "loop1")]
    [InlineData("self", "self", "", "")]
    [InlineData("grows", "grows/deeper", "", "")]
    public async Task ALinkLoopEndsInAClearErrorNotAHang(string first, string firstTarget, string second, string secondTarget)
    {
        Link(first, firstTarget);
        if (second != "")
        {
            Link(second, secondTarget);
        }

        var read = await Reader().RunAsync(Action("fs_read", first + "/x"), Context, Ct);
        var write = await new FsWriteTool().RunAsync(Action("fs_write", first, "x"), Context, Ct);

        Assert.Contains("Too many levels of symbolic links", read.Error, StringComparison.Ordinal);
        Assert.Contains("Too many levels of symbolic links", write.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileSwappedForALinkAfterItWasResolvedIsNotFollowed()
    {
        // As if the file had been checked, then replaced by a link before the open: the open must not follow it.
        var checkedPath = Path.Join(Workspace, "swapped.txt");
        File.CreateSymbolicLink(checkedPath, Secret);

        using var read = ConfinedFile.OpenToRead(Workspace, checkedPath, out var readError);
        using var write = ConfinedFile.OpenToWrite(Workspace, checkedPath, out var writeError);

        Assert.Null(read);
        Assert.Null(write);
        Assert.Contains("became a symbolic link", readError, StringComparison.Ordinal);
        Assert.Contains("became a symbolic link", writeError, StringComparison.Ordinal);
        Assert.Equal("the other workspace's secret", File.ReadAllText(Secret));
    }

    [Fact]
    public void AFolderSwappedForALinkAfterItWasResolvedIsCaughtOnTheOpenedFile()
    {
        // The folder was checked, then replaced by a link to another workspace before the open: the opened
        // file's real path gives it away, and a file the open created there is removed again.
        Directory.CreateSymbolicLink(Path.Join(Workspace, "swapped"), Path.Join(root, "other"));

        using var read = ConfinedFile.OpenToRead(Workspace, Path.Join(Workspace, "swapped", "secret.txt"), out var readError);
        using var overwrite = ConfinedFile.OpenToWrite(Workspace, Path.Join(Workspace, "swapped", "secret.txt"), out var overwriteError);
        using var create = ConfinedFile.OpenToWrite(Workspace, Path.Join(Workspace, "swapped", "planted.txt"), out var createError);

        Assert.Null(read);
        Assert.Null(overwrite);
        Assert.Null(create);
        Assert.All([readError, overwriteError, createError], e => Assert.Contains("leads outside the workspace", e, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Join(root, "other", "planted.txt")));
        Assert.Equal("the other workspace's secret", File.ReadAllText(Secret));
    }

    [Fact]
    public void AFolderSwappedForALinkAfterItWasResolvedIsNotListed()
    {
        Directory.CreateDirectory(Path.Join(root, "other", "sub"));
        Directory.CreateSymbolicLink(Path.Join(Workspace, "swapped"), Path.Join(root, "other"));

        using var last = ConfinedFile.OpenFolder(Workspace, Path.Join(Workspace, "swapped"), out var lastError);
        using var inner = ConfinedFile.OpenFolder(Workspace, Path.Join(Workspace, "swapped", "sub"), out var innerError);
        using var own = ConfinedFile.OpenFolder(Workspace, Workspace, out _);

        Assert.Null(last);
        Assert.Null(inner);
        Assert.Contains("became a symbolic link", lastError, StringComparison.Ordinal);
        Assert.Contains("leads outside the workspace", innerError, StringComparison.Ordinal);
        Assert.NotNull(own);
        Assert.Contains("mine.txt", Directory.EnumerateFiles(ConfinedFile.ListingPath(own, Workspace)).Select(Path.GetFileName));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
