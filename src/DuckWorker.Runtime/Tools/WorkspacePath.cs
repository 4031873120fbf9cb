namespace DuckWorker.Runtime.Tools;

/// <summary>
/// Resolves paths the way the operating system will follow them (every symbolic link, at every level) and
/// confines them to a workspace. A lexical check alone is not enough: a link inside the workspace may point
/// anywhere.
/// </summary>
public static class WorkspacePath
{
    private const int MaxLinkHops = 40; // the kernel's own limit (ELOOP)

    /// <summary>
    /// The path a tool may use for <paramref name="path"/> (relative to the workspace, or absolute inside it),
    /// or null with the reason when it would resolve outside the workspace.
    /// </summary>
    public static string? ResolveInside(string workspace, string path, out string error)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = "The path contains a NUL byte.";
            return null;
        }

        string resolved;
        try
        {
            resolved = RealPath(Path.IsPathRooted(path) ? path : Path.Join(workspace, path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ex.Message;
            return null;
        }

        if (!IsInside(workspace, resolved))
        {
            error = $"The path '{path}' resolves outside the workspace.";
            return null;
        }

        error = "";
        return resolved;
    }

    public static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The path relative to the workspace, "." for the workspace itself.</summary>
    public static string Relative(string workspace, string resolved) =>
        resolved == workspace ? "." : Path.GetRelativePath(workspace, resolved);

    /// <summary>
    /// The absolute path with "." and ".." removed and every existing symbolic link followed; components that
    /// do not exist yet are kept as written.
    /// </summary>
    public static string RealPath(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = Path.GetPathRoot(Path.GetFullPath(path)) ?? "/";
        var hops = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var candidate = Path.Join(current, part);
            var target = new FileInfo(candidate).LinkTarget;
            if (target is null)
            {
                current = candidate;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new IOException($"Too many levels of symbolic links at '{candidate}'.");
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? "/";
            }

            foreach (var next in target.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(next);
            }
        }

        return current;
    }
}
