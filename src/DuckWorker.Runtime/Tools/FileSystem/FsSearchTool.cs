using System.Text;
using System.Text.RegularExpressions;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>
/// <c>fs_search</c>: the lines of the workspace's text files that match a regular expression, as
/// <c>path:line: text</c>. Links are not followed, so the search never leaves the workspace.
/// </summary>
internal sealed class FsSearchTool : ITool
{
    private const int MaxMatches = 200;
    private const int MaxFileBytes = 1024 * 1024;
    private const int MaxLineChars = 300;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public string Name => ToolNames.FsSearch;

    public string Usage => """{"pattern": "<regular expression>", "path": "<folder or file, default \".\">"} finds matching lines in text files.""";

    public ToolAssessment Assess(ToolAction action, ToolContext context)
    {
        if (PathArgument.Resolve(action, context, ".", out var path) is { } refused)
        {
            return refused;
        }

        var pattern = action.StringArg("pattern");
        if (string.IsNullOrEmpty(pattern))
        {
            return ToolAssessment.Invalid(action, "fs_search needs a 'pattern' argument (a regular expression).");
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            return ToolAssessment.Invalid(action, $"'{pattern}' is not a valid regular expression: {ex.Message}");
        }

        return PathArgument.Runs(action, context, path, "Searching the workspace is read-only.");
    }

    public Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken)
    {
        if (PathArgument.Resolve(action, context, ".", out var root) is { } refused)
        {
            return Task.FromResult(ToolResult.Failure(refused.Reason));
        }

        var regex = new Regex(action.StringArg("pattern")!, RegexOptions.CultureInvariant, MatchTimeout);
        var files = File.Exists(root)
            ? [root]
            : Directory.Exists(root)
                ? Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true })
                : [];
        var found = new StringBuilder();
        var matches = 0;
        var skipped = 0;
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (matches >= MaxMatches || !FileKind.IsRegularFile(file) || new FileInfo(file).Length > MaxFileBytes || IsBinary(file))
            {
                skipped += matches >= MaxMatches ? 1 : 0;
                continue;
            }

            var number = 0;
            foreach (var line in File.ReadLines(file))
            {
                number++;
                bool hit;
                try
                {
                    hit = regex.IsMatch(line);
                }
                catch (RegexMatchTimeoutException)
                {
                    break;
                }

                if (hit && ++matches <= MaxMatches)
                {
                    var text = line.Length <= MaxLineChars ? line : line[..MaxLineChars] + "…";
                    found.Append(WorkspacePath.Relative(context.Workspace, file)).Append(':').Append(number).Append(": ").AppendLine(text);
                }
            }
        }

        if (matches > MaxMatches || skipped > 0)
        {
            found.AppendLine($"… more matches not shown (the first {MaxMatches} are).");
        }

        var metadata = PathArgument.Metadata(context, root);
        metadata["matches"] = Math.Min(matches, MaxMatches);
        return Task.FromResult(ToolResult.Success(matches == 0 ? "No matches." : found.ToString(), metadata));
    }

    private static bool IsBinary(string file)
    {
        using var stream = File.OpenRead(file);
        Span<byte> start = stackalloc byte[4096];
        var read = stream.Read(start);
        return start[..read].Contains((byte)0);
    }
}
