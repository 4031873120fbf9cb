namespace DuckWorker.Policy.Judging;

/// <summary>
/// Resolves path arguments: <c>~</c> and <c>$HOME</c> are the home directory (always outside the workspace), a
/// relative path is relative to each possible working directory, and symbolic links that already exist inside the
/// workspace are followed as the kernel follows them, component by component (<c>..</c> after a link climbs from
/// where the link leads), so a chain of links planted earlier (<c>ln -s . r; ln -s r/.. r2</c>) that leads outside is
/// judged as outside. Links the same line creates cannot be seen yet; creating one that leads outside is judged
/// where the link is made. Without a workspace on disk, paths resolve lexically.
/// </summary>
internal sealed class PathResolver(string workspace)
{
    /// <summary>As many links as the kernel follows in one path before it gives up (ELOOP).</summary>
    private const int MaximumLinkHops = 40;

    public string Workspace { get; } = workspace;

    public List<ResolvedPath> Resolve(string text, ShellState state)
    {
        if (text.Length > 0 && text[0] == Sentinel.Unknown)
        {
            return [new ResolvedPath(text, PathScope.Anywhere, IsPattern: true, IsWorkspaceRoot: false)];
        }

        if (text.Length > 0 && (text[0] == '/' || text[0] == Sentinel.Home))
        {
            return [Classify(Normalize(FollowLinks(text)))];
        }

        if (state.Directories is null)
        {
            return [new ResolvedPath(Sentinel.Unknown + "/" + text, PathScope.Anywhere, IsPattern: true, IsWorkspaceRoot: false)];
        }

        return state.Directories.Select(directory => Classify(Normalize(FollowLinks(directory + "/" + text)))).ToList();
    }

    /// <summary>
    /// The path with every existing symbolic link inside the workspace replaced by where it leads, resolving <c>.</c> and
    /// <c>..</c> on the way as the kernel does. It stops at the first unknown or glob segment, leaving the rest as written.
    /// A chain longer than the kernel follows is an unknown path.
    /// </summary>
    private string FollowLinks(string path)
    {
        if (path[0] != '/' || !Directory.Exists(Workspace))
        {
            return path;
        }

        var pending = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = "/";
        var hops = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            if (segment.Any(Sentinel.IsSentinel))
            {
                return string.Join('/', new[] { current, segment }.Concat(pending));
            }

            var next = current == "/" ? "/" + segment : current + "/" + segment;
            var target = IsInsideWorkspace(next) && next != Workspace ? LinkTarget(next) : null;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++hops > MaximumLinkHops)
            {
                return Sentinel.Unknown + "/" + segment;
            }

            foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(part);
            }

            current = target.StartsWith('/') ? "/" : current;
        }

        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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
