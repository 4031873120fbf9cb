using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using DuckWorker.Runtime.Tools.FileSystem.Native;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace DuckWorker.Runtime.Tests.Tools;

/// <summary>
/// fs_write changes regular files of the workspace only: not through a hard link (its other name may lie
/// outside), never a FIFO (a write once hung the task), a socket or a device; and fs_read refuses them too.
/// </summary>
public sealed class FsWriteRefusesHardLinksAndSpecialFiles : IDisposable
{
    private readonly string root = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-special-").FullName);

    public FsWriteRefusesHardLinksAndSpecialFiles()
    {
        Directory.CreateDirectory(Workspace);
        Directory.CreateDirectory(Path.Join(root, "outside"));
    }

    private string Workspace => Path.Join(root, "ws");

    private ToolContext Context => new("t", Workspace);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ToolAction Write(string path, string content) =>
        new("fs_write", new JsonObject { ["path"] = path, ["content"] = content }, null);

    private static ToolAction Read(string path) => new("fs_read", new JsonObject { ["path"] = path }, null);

    private static FsReadTool Reader() => new(Options.Create(new ToolsOptions { WorkspaceRoot = "/" }));

    private static async Task<int> RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        await process.WaitForExitAsync(Ct);
        return process.ExitCode;
    }

    [Fact]
    public async Task AWriteThroughAHardLinkToAFileOutsideIsRefusedAndChangesNothing()
    {
        var outside = Path.Join(root, "outside", "shared.txt");
        File.WriteAllText(outside, "outside, untouched");
        Assert.Equal(0, await RunAsync("ln", outside, Path.Join(Workspace, "hard.txt")));
        var tool = new FsWriteTool();

        var assessment = tool.Assess(Write("hard.txt", "x"), Context);
        var result = await tool.RunAsync(Write("hard.txt", "x"), Context, Ct);

        Assert.Equal(ToolVerdict.Invalid, assessment.Verdict);
        Assert.Contains("2 names (hard links)", assessment.Reason, StringComparison.Ordinal);
        Assert.False(result.Ok);
        Assert.Contains("hard links", result.Error, StringComparison.Ordinal);
        Assert.Equal("outside, untouched", File.ReadAllText(outside));
    }

    [Fact]
    public async Task AFileWithOneNameIsReplacedWhole()
    {
        File.WriteAllText(Path.Join(Workspace, "notes.txt"), "a much longer text than the new one");

        var result = await new FsWriteTool().RunAsync(Write("notes.txt", "short"), Context, Ct);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("short", File.ReadAllText(Path.Join(Workspace, "notes.txt")));
    }

    [Fact]
    public async Task ACancelledWriteChangesNothing()
    {
        File.WriteAllText(Path.Join(Workspace, "notes.txt"), "kept");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new FsWriteTool().RunAsync(Write("notes.txt", "lost"), Context, new CancellationToken(canceled: true)));

        Assert.Equal("kept", File.ReadAllText(Path.Join(Workspace, "notes.txt")));
    }

    [Fact(Timeout = 30_000)]
    public async Task AWriteOntoAFifoIsRefusedAndNeverBlocks()
    {
        Assert.Equal(0, await RunAsync("mkfifo", Path.Join(Workspace, "pipe")));
        var tool = new FsWriteTool();

        var assessment = tool.Assess(Write("pipe", "x"), Context);
        var result = await tool.RunAsync(Write("pipe", "x"), Context, Ct);

        Assert.Equal(ToolVerdict.Invalid, assessment.Verdict);
        Assert.Contains("is a FIFO (named pipe), not a regular file", result.Error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task AFifoSwappedInAfterTheCheckIsRefusedOnTheOpenedFileWithOrWithoutAReader()
    {
        // The open itself is what must not block: without a reader, and with one (the kind is then checked on
        // the descriptor).
        var pipe = Path.Join(Workspace, "pipe");
        Assert.Equal(0, await RunAsync("mkfifo", pipe));

        using (var alone = ConfinedFile.OpenToWrite(Workspace, pipe, out var aloneError))
        {
            Assert.Null(alone);
            Assert.Contains("FIFO", aloneError, StringComparison.Ordinal);
        }

        using var reader = ConfinedFile.OpenToRead(Workspace, pipe, out var readError);
        using var readerEnd = new SafeFileHandle(LibC.Open(pipe, LibC.ReadOnly | LibC.NonBlocking, out _), ownsHandle: true);
        Assert.False(readerEnd.IsInvalid);
        using var writer = ConfinedFile.OpenToWrite(Workspace, pipe, out var writeError);

        Assert.Null(reader);
        Assert.Null(writer);
        Assert.Contains("is a FIFO (named pipe), not a regular file", readError, StringComparison.Ordinal);
        Assert.Contains("is a FIFO (named pipe), not a regular file", writeError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ASocketIsNeitherWrittenNorRead()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Join(Workspace, "sock")));
        socket.Listen();

        var write = await new FsWriteTool().RunAsync(Write("sock", "x"), Context, Ct);
        var read = await Reader().RunAsync(Read("sock"), Context, Ct);
        using var opened = ConfinedFile.OpenToWrite(Workspace, Path.Join(Workspace, "sock"), out var openError);

        Assert.Contains("is a socket, not a regular file", write.Error, StringComparison.Ordinal);
        Assert.Contains("is a socket, not a regular file", read.Error, StringComparison.Ordinal);
        Assert.Null(opened);
        Assert.Contains("FIFO (named pipe) or a socket", openError, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task ADeviceIsNeitherWrittenNorRead()
    {
        if (await RunAsync("mknod", Path.Join(Workspace, "null"), "c", "1", "3") != 0)
        {
            Assert.Skip("mknod needs CAP_MKNOD, which this test process does not have.");
        }

        var write = await new FsWriteTool().RunAsync(Write("null", "x"), Context, Ct);
        var read = await Reader().RunAsync(Read("null"), Context, Ct);
        using var opened = ConfinedFile.OpenToWrite(Workspace, Path.Join(Workspace, "null"), out var openError);

        Assert.Contains("is a device, not a regular file", write.Error, StringComparison.Ordinal);
        Assert.Contains("is a device, not a regular file", read.Error, StringComparison.Ordinal);
        Assert.Null(opened);
        Assert.Contains("is a device, not a regular file", openError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
