using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>
/// <c>fs_search</c>: the lines of the workspace's text files that match a regular expression, as
/// <c>path:line: text</c>. Links are not followed, so the search never leaves the workspace. A search stops at
/// <c>Tools:SearchTimeout</c> and says how far it got; no pattern can make it hang.
/// </summary>
internal sealed class FsSearchTool(IOptions<ToolsOptions> options, TimeProvider time) : ITool
{
    private const int MaxMatches = 200;
    private const int MaxFileBytes = 1024 * 1024;
    private const int MaxLineChars = 300;

    /// <summary>Listing files is quick; the clock is read once per this many.</summary>
    private const int ListedPerTick = 256;

    /// <summary>How long a backtracking pattern may take on one line before the rest of its file is skipped.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    public string Name => ToolNames.FsSearch;

    public string Usage =>
        $$"""{"pattern": "<regular expression>", "path": "<folder or file, default \".\">"} finds matching lines in text files. {{EscapedName.Note}}""";

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

        var pattern = action.StringArg("pattern");
        if (string.IsNullOrEmpty(pattern))
        {
            return Task.FromResult(ToolResult.Failure("fs_search needs a 'pattern' argument (a regular expression)."));
        }

        var search = new Search(Compile(pattern, options.Value.SearchTimeout), context.Workspace, time, options.Value.SearchTimeout, cancellationToken);
        var files = search.ListFiles(root);
        var searched = 0;
        foreach (var file in files)
        {
            if (search.Full || search.OutOfTime)
            {
                break;
            }

            search.SearchFile(file);
            searched++;
        }

        var found = search.Found;
        if (search.Full)
        {
            found.AppendLine(CultureInfo.InvariantCulture, $"… the search stopped at {MaxMatches} matches; there may be more.");
        }

        if (search.TimedOutFiles > 0)
        {
            found.AppendLine(CultureInfo.InvariantCulture, $"… the pattern took too long on a line of {search.TimedOutFiles} file(s); the rest of those files was not searched.");
        }

        var metadata = PathArgument.Metadata(context, root);
        metadata["matches"] = Math.Min(search.Matches, MaxMatches);
        metadata["filesSearched"] = searched;
        if (search.OutOfTime)
        {
            var listed = search.Listed ? $"{files.Count}" : $"at least {files.Count} listed so far";
            found.AppendLine(CultureInfo.InvariantCulture, $"… stopped early: the search ran out of its time budget (Tools:SearchTimeout, {options.Value.SearchTimeout}) after {searched} of {listed} files; narrow the path or the pattern.");
            metadata["stoppedEarly"] = true;
        }

        if (search.Matches == 0)
        {
            found.Insert(0, found.Length == 0 ? "No matches." : "No matches." + Environment.NewLine);
        }

        return Task.FromResult(ToolResult.Success(found.ToString(), metadata));
    }

    /// <summary>
    /// The linear-time engine where it can run the pattern: it cannot backtrack, so no pattern blows up, and
    /// only the whole budget bounds one line. Else (backreferences, lookarounds) the backtracking engine, with
    /// a timeout per line.
    /// </summary>
    private static Regex Compile(string pattern, TimeSpan budget)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, budget);
        }
        catch (NotSupportedException)
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
    }

    /// <summary>One search: what it found so far, and whether it ran out of matches to show or of time.</summary>
    private sealed class Search(Regex regex, string workspace, TimeProvider time, TimeSpan budget, CancellationToken cancellationToken)
    {
        private readonly long started = time.GetTimestamp();

        public StringBuilder Found { get; } = new();

        public int Matches { get; private set; }

        public int TimedOutFiles { get; private set; }

        /// <summary>False when the time ran out while the files were still being listed.</summary>
        public bool Listed { get; private set; }

        public bool Full => Matches >= MaxMatches;

        public bool OutOfTime { get; private set; }

        /// <summary>The files under <paramref name="root"/> in path order, links and unreadable folders skipped.</summary>
        public List<string> ListFiles(string root)
        {
            if (ConfinedFile.KindOf(root) is not FileKind.Folder)
            {
                Listed = true;
                return ConfinedFile.KindOf(root) is FileKind.Regular ? [root] : [];
            }

            var files = new List<string>();
            var enumeration = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            foreach (var file in Directory.EnumerateFiles(root, "*", enumeration))
            {
                if (files.Count % ListedPerTick == 0 && Tick())
                {
                    files.Sort(StringComparer.Ordinal);
                    return files;
                }

                files.Add(file);
            }

            Listed = true;
            files.Sort(StringComparer.Ordinal);
            return files;
        }

        public void SearchFile(string file)
        {
            if (ConfinedFile.KindOf(file) is not FileKind.Regular)
            {
                return;
            }

            using var stream = ConfinedFile.OpenToRead(workspace, file, out _);
            if (stream is null || stream.Length > MaxFileBytes || IsBinary(stream))
            {
                return;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            var number = 0;
            while (!Full && !Tick() && reader.ReadLine() is { } line)
            {
                number++;
                bool hit;
                try
                {
                    hit = regex.IsMatch(line);
                }
                catch (RegexMatchTimeoutException)
                {
                    TimedOutFiles++;
                    return;
                }

                if (hit && ++Matches <= MaxMatches)
                {
                    var text = line.Length <= MaxLineChars ? line : line[..MaxLineChars] + "…";
                    Found.Append(EscapedName.Of(WorkspacePath.Relative(workspace, file)))
                        .Append(':').Append(number).Append(": ")
                        .AppendLine(EscapedName.OfText(text));
                }
            }
        }

        /// <summary>Honours cancellation, and says (for good) when the budget is spent.</summary>
        private bool Tick()
        {
            cancellationToken.ThrowIfCancellationRequested();
            OutOfTime = OutOfTime || time.GetElapsedTime(started) > budget;
            return OutOfTime;
        }

        private static bool IsBinary(FileStream stream)
        {
            Span<byte> start = stackalloc byte[4096];
            var read = stream.Read(start);
            stream.Position = 0;
            return start[..read].Contains((byte)0);
        }
    }
}
