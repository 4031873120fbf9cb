namespace DuckWorker.Policy.Judging;

/// <summary>How the policy reads the name a command is invoked by.</summary>
internal static class CommandName
{
    private static readonly HashSet<string> SystemBinaryDirectories =
        ["/bin", "/usr/bin", "/usr/local/bin", "/sbin", "/usr/sbin", "/usr/local/sbin"];

    /// <summary>The last path segment: <c>/usr/bin/rm</c> and <c>./rm</c> are both judged as <c>rm</c>.</summary>
    public static string BaseName(string name)
    {
        var trimmed = name.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? trimmed : trimmed[(slash + 1)..];
    }

    /// <summary>True for a path outside the standard binary directories: a program the workspace or anyone could have put there.</summary>
    public static bool IsUnusualPath(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash >= 0 && !SystemBinaryDirectories.Contains(slash == 0 ? "/" : name[..slash]);
    }
}
