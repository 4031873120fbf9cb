using System.Text;
using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;

namespace DuckWorker.Cli.WebConsole.Inbox;

/// <summary>
/// What an approval would run, as HTML: a shell command as it would run; for <c>fs_write</c> the path and the
/// content, as a diff against the file when it exists; any other tool its arguments.
/// </summary>
internal static class ProposedAction
{
    /// <summary>Larger files are not read to be compared: the content alone is shown.</summary>
    private const long MaxDiffBytes = 512 * 1024;

    public static string Render(Approval approval) => Warning(approval) + Action(approval);

    private static string Action(Approval approval)
    {
        var args = approval.Action.Args;
        if (approval.Action.StringArg(ToolMetadata.Command) is { } command)
        {
            return $"""<pre class="command"><code>{Html.Revealed(command)}</code></pre>""";
        }

        if (approval.Action.Tool == ToolNames.FsWrite
            && approval.Action.StringArg(ToolMetadata.Path) is { } path
            && approval.Action.StringArg("content") is { } content)
        {
            return $"<p>Write the file <code>{Html.Revealed(path)}</code>:</p>{FileChange(approval.Workspace, path, content)}";
        }

        return $"""<pre><code>{Html.Revealed(JsonText.Of(args))}</code></pre>""";
    }

    /// <summary>Says so when an argument holds characters shown by their code point (see <see cref="Html.Revealed"/>).</summary>
    private static string Warning(Approval approval) =>
        approval.Action.Args.Any(arg => arg.Value is JsonValue value && value.TryGetValue<string>(out var text) && Html.HasHidden(text))
            ? """<p class="error hidden-warning" role="note">This action holds characters that are invisible or change the direction of the text around them; each is shown as its code point (U+…). They run as they are.</p>"""
            : "";

    private static string FileChange(string workspace, string path, string content)
    {
        var (exists, before) = Existing(workspace, path);
        if (!exists)
        {
            return $"""<p>A new file, with this content:</p><pre class="content"><code>{Html.Revealed(content)}</code></pre>""";
        }

        if (before is null || UnifiedDiff.Of(before, content) is not { } diff)
        {
            return $"""<p>It replaces a file too large to compare; the new content:</p><pre class="content"><code>{Html.Revealed(content)}</code></pre>""";
        }

        if (diff.Count == 0)
        {
            return "<p>It replaces the file with the same content.</p>";
        }

        var html = new StringBuilder("""<p>It changes the existing file (unified diff, old to new):</p><pre class="diff" aria-label="Unified diff of the file, old to new"><code>""");
        foreach (var line in diff)
        {
            var kind = line[0] switch { '+' => "add", '-' => "del", '@' => "hunk", _ => "same" };
            html.Append($"""<span class="{kind}">{Html.Revealed(line)}</span>""");
        }

        return html.Append("</code></pre>").ToString();
    }

    /// <summary>
    /// Whether the file exists inside the workspace (links followed), and its text when it is small enough to
    /// compare. It is opened as <c>fs_read</c> opens a file: a link swapped in, a FIFO or a path that leaves the
    /// workspace is not read, so the page can neither hang nor show a file outside the workspace.
    /// </summary>
    private static (bool Exists, string? Text) Existing(string workspace, string path)
    {
        if (WorkspacePath.ResolveInside(workspace, path, out _) is not { } file || !Path.Exists(file))
        {
            return (false, null);
        }

        try
        {
            using var stream = ConfinedFile.OpenToRead(workspace, file, out _);
            if (stream is null || stream.Length > MaxDiffBytes)
            {
                return (true, null);
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            return (true, reader.ReadToEnd());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (true, null);
        }
    }
}
