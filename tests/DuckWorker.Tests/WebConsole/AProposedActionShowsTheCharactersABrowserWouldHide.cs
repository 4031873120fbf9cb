using System.Text.Json.Nodes;
using DuckWorker.Cli.WebConsole.Inbox;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// A model or a job can put into a command characters a browser does not show as themselves: U+202E displays
/// what follows it reversed, zero-width and tag characters display as nothing. The inbox shows each by its code
/// point, and says so, so that a person approves the command that will run rather than the one displayed.
/// </summary>
public sealed class AProposedActionShowsTheCharactersABrowserWouldHide
{
    private static Approval Proposing(string tool, JsonObject args) => new()
    {
        ApprovalId = "a1",
        TaskId = "t1",
        Workspace = Path.GetTempPath(),
        Action = new ToolAction(tool, args, null),
        NormalizedAction = new NormalizedAction(tool, args.ToJsonString()),
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void ACommandReversedByABidiOverrideIsShownAsItRuns()
    {
        // Displayed by a browser as "echo hello # ~ fr- mr", it runs rm -rf ~ after the echo.
        var html = ProposedAction.Render(Proposing(ToolNames.Shell, new JsonObject { ["command"] = "echo hello; rm -rf ~ #\u202E" }));
        var zeroWidth = ProposedAction.Render(Proposing(ToolNames.Shell, new JsonObject { ["command"] = "cat notes\u200B.txt\U000E0041" }));

        Assert.Contains("""<mark class="hidden-char" """, html, StringComparison.Ordinal);
        Assert.Contains(">U+202E</mark>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#x202E;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", html, StringComparison.Ordinal);
        Assert.Contains("characters that are invisible or change the direction", html, StringComparison.Ordinal);
        Assert.Contains(">U+200B</mark>", zeroWidth, StringComparison.Ordinal);
        Assert.Contains(">U+E0041</mark>", zeroWidth, StringComparison.Ordinal);
    }

    [Fact]
    public void AWritesPathAndContentShowTheirHiddenCharactersAndPlainTextShowsNoWarning()
    {
        var html = ProposedAction.Render(Proposing(ToolNames.FsWrite, new JsonObject { ["path"] = "new-\u2066file.txt", ["content"] = "line one\r\nline\u0008 two\n" }));
        var plain = ProposedAction.Render(Proposing(ToolNames.Shell, new JsonObject { ["command"] = "printf 'caf\u00e9\\n\\tok' > out.txt" }));

        Assert.Contains(">U+2066</mark>", html, StringComparison.Ordinal);
        Assert.Contains(">U+0008</mark>", html, StringComparison.Ordinal);
        // A line break, CRLF included, is no hidden character.
        Assert.DoesNotContain(">U+000D</mark>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-char", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("invisible", plain, StringComparison.Ordinal);
    }
}
