namespace DuckWorker.Policy.Judging;

/// <summary>
/// Resolves path arguments lexically: <c>~</c> and <c>$HOME</c> are the home directory (always outside the
/// workspace), <c>..</c> is resolved, a relative path is relative to each possible working directory. Links
/// are not followed: the runner confines the process itself; this only judges what the text says.
/// </summary>
internal sealed class PathResolver(string workspace)
{
    public string Workspace { get; } = workspace;

    public List<ResolvedPath> Resolve(string text, ShellState state)
    {
        if (text.Length > 0 && text[0] == Sentinel.Unknown)
        {
            return [new ResolvedPath(text, PathScope.Anywhere, IsPattern: true, IsWorkspaceRoot: false)];
        }

        if (text.Length > 0 && (text[0] == '/' || text[0] == Sentinel.Home))
        {
            return [Classify(Normalize(text))];
        }

        if (state.Directories is null)
        {
            return [new ResolvedPath(Sentinel.Unknown + "/" + text, PathScope.Anywhere, IsPattern: true, IsWorkspaceRoot: false)];
        }

        return state.Directories.Select(directory => Classify(Normalize(directory + "/" + text))).ToList();
    }

    /// <summary>Resolves a directory for <c>cd</c>: the same rules, the result as a working directory.</summary>
    public static string? ResolveDirectory(string text, string from)
    {
        if (text.Any(character => character != Sentinel.Home && Sentinel.IsSentinel(character)))
        {
            return null;
        }

        return text.Length > 0 && (text[0] == '/' || text[0] == Sentinel.Home) ? Normalize(text) : Normalize(from + "/" + text);
    }

    public bool IsInsideWorkspace(string normalized) =>
        normalized == Workspace || (Workspace == "/" ? normalized.StartsWith('/') : normalized.StartsWith(Workspace + "/", StringComparison.Ordinal));

    /// <summary>True when <paramref name="normalized"/> is the workspace or one of the directories above it.</summary>
    private bool ContainsWorkspace(string normalized) =>
        normalized == "/" || Workspace == normalized || Workspace.StartsWith(normalized + "/", StringComparison.Ordinal);

    private ResolvedPath Classify(string normalized)
    {
        var unknown = normalized.IndexOf(Sentinel.Unknown);
        var glob = normalized.AsSpan().IndexOfAny(Sentinel.Star, Sentinel.Question, Sentinel.BracketOpen);
        var firstVariable = unknown < 0 ? glob : glob < 0 ? unknown : Math.Min(unknown, glob);
        if (firstVariable < 0)
        {
            var inside = IsInsideWorkspace(normalized);
            return new ResolvedPath(normalized, inside ? PathScope.Workspace : PathScope.Outside, IsPattern: false, IsWorkspaceRoot: normalized == Workspace);
        }

        // A `..` after an unknown or glob segment could climb anywhere.
        if (normalized.AsSpan(firstVariable).Contains("/..", StringComparison.Ordinal))
        {
            return new ResolvedPath(normalized, PathScope.Anywhere, IsPattern: true, IsWorkspaceRoot: false);
        }

        // The directory that holds the first unknown or glob segment decides.
        var slash = normalized.LastIndexOf('/', firstVariable);
        var directory = slash <= 0 ? (normalized[0] == Sentinel.Home ? Sentinel.Home.ToString() : "/") : normalized[..slash];
        PathScope scope;
        if (IsInsideWorkspace(directory))
        {
            scope = unknown >= 0 ? PathScope.WorkspaceUncertain : PathScope.Workspace;
        }
        else if (ContainsWorkspace(directory))
        {
            scope = unknown >= 0 && unknown == firstVariable ? PathScope.Anywhere : PathScope.Outside;
        }
        else
        {
            scope = PathScope.Outside;
        }

        return new ResolvedPath(normalized, scope, IsPattern: true, IsWorkspaceRoot: false);
    }

    /// <summary>
    /// Removes <c>.</c>, <c>..</c> and repeated slashes. A glob segment that could match <c>..</c> (<c>.*</c>)
    /// counts as <c>..</c>, since bash's globbing can produce it. Above the home directory is <c>/home</c>.
    /// </summary>
    private static string Normalize(string path)
    {
        var home = path[0] == Sentinel.Home;
        var segments = new List<string>();
        foreach (var segment in (home ? path[1..] : path).Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == ".." || (segment.Length > 1 && segment[0] == '.' && Sentinel.IsGlob(segment[1])))
            {
                if (segments.Count > 0 && segments[^1] != ".." && !segments[^1].Any(Sentinel.IsSentinel))
                {
                    segments.RemoveAt(segments.Count - 1);
                }
                else if (segments.Count > 0)
                {
                    segments.Add("..");
                }
                else if (home)
                {
                    home = false;
                    segments.Add("home");
                }

                continue;
            }

            segments.Add(segment);
        }

        var joined = string.Join('/', segments);
        return home ? (joined.Length == 0 ? Sentinel.Home.ToString() : Sentinel.Home + "/" + joined) : "/" + joined;
    }
}
