using System.Diagnostics;
using System.Text.Json.Nodes;
using DuckWorker.Cli.WebConsole.Inbox;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// The inbox compares a proposed <c>fs_write</c> with the file it replaces, reading that file as <c>fs_read</c>
/// would: a link out of the workspace never puts another file's text on the page, and a FIFO cannot hang it.
/// </summary>
public sealed class AProposedWriteShowsOnlyWhatIsInTheWorkspace : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("duck-proposed-").FullName;

    private string Workspace => Path.Join(root, "workspace");

    private Approval Writing(string path) => new()
    {
        ApprovalId = "a1",
        TaskId = "t1",
        Workspace = Workspace,
        Action = new ToolAction(ToolNames.FsWrite, new JsonObject { ["path"] = path, ["content"] = "new text" }, null),
        NormalizedAction = new NormalizedAction(ToolNames.FsWrite, path),
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void AFileOfTheWorkspaceIsComparedLineByLine()
    {
        Directory.CreateDirectory(Workspace);
        File.WriteAllText(Path.Join(Workspace, "notes.txt"), "old text\n");

        var html = ProposedAction.Render(Writing("notes.txt"));

        // Html.Encode writes the diff's + and - as character references.
        Assert.Matches("""<span class="del">[^<]*old text</span>""", html);
        Assert.Matches("""<span class="add">[^<]*new text</span>""", html);
    }

    [Fact]
    public void ALinkToAFileOutsideTheWorkspaceNeverShowsItsText()
    {
        Directory.CreateDirectory(Workspace);
        var secret = Path.Join(root, "secret.txt");
        File.WriteAllText(secret, "the worker's password\n");
        File.CreateSymbolicLink(Path.Join(Workspace, "notes.txt"), secret);

        var html = ProposedAction.Render(Writing("notes.txt"));

        Assert.DoesNotContain("password", html, StringComparison.Ordinal);
        Assert.Contains("new text", html, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task AFifoInTheWorkspaceIsNotReadAndThePageStillRenders()
    {
        Directory.CreateDirectory(Workspace);
        using (var mkfifo = Process.Start("mkfifo", [Path.Join(Workspace, "pipe")]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var html = await Task.Run(() => ProposedAction.Render(Writing("pipe")), TestContext.Current.CancellationToken);

        Assert.Contains("new text", html, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
