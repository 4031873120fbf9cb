namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// The environment a shell command gets: a short allow-list of the worker's variables, never its secrets.
/// An allow-list and not a deny-list, because no list of secret-looking names (<c>*_TOKEN</c>, <c>*_KEY</c>,
/// <c>*_PASSWORD</c>, connection strings…) is ever complete. <c>HOME</c> is the workspace, so <c>~</c> stays in it.
/// </summary>
public static class ShellEnvironment
{
    private static readonly string[] Kept = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME"];

    private static readonly string[] SecretMarkers = ["TOKEN", "KEY", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "CONNECTIONSTRING", "CONNECTION_STRING", "AUTH"];

    public static IReadOnlyDictionary<string, string> For(string workspace, IReadOnlyDictionary<string, string?> worker)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Kept)
        {
            if (worker.TryGetValue(name, out var value) && value is not null && !LooksSecret(name, value))
            {
                environment[name] = value;
            }
        }

        environment.TryAdd("PATH", "/usr/local/bin:/usr/bin:/bin");
        environment.TryAdd("LANG", "C.UTF-8");
        environment["HOME"] = workspace;
        environment["PWD"] = workspace;
        environment["TERM"] = "dumb";
        environment["PAGER"] = "cat";
        environment["GIT_TERMINAL_PROMPT"] = "0";
        return environment;
    }

    /// <summary>True for a variable whose name or value looks like it carries a credential.</summary>
    public static bool LooksSecret(string name, string value) =>
        SecretMarkers.Any(marker => name.Contains(marker, StringComparison.OrdinalIgnoreCase))
        || value.Contains("://", StringComparison.Ordinal) && value.Contains('@', StringComparison.Ordinal)
        || value.Contains("password=", StringComparison.OrdinalIgnoreCase);
}
