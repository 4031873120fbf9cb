namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// The environment a shell command gets: a short allow-list of the worker's variables, never its secrets.
/// An allow-list and not a deny-list, because no list of secret-looking names (<c>*_TOKEN</c>, <c>*_KEY</c>,
/// <c>*_PASSWORD</c>, connection strings…) is ever complete. <c>HOME</c> is an empty folder of the command's
/// own, never the workspace, and git and less are told to read no user or system configuration: a workspace
/// (a cloned repository) must not be able to plant a <c>.gitconfig</c> or <c>.lesskey</c> that runs code.
/// </summary>
public static class ShellEnvironment
{
    private static readonly string[] Kept = ["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME"];

    private static readonly string[] SecretMarkers = ["TOKEN", "KEY", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "CONNECTIONSTRING", "CONNECTION_STRING", "AUTH"];

    /// <param name="home">The command's own empty home folder.</param>
    /// <param name="workingDirectory">The workspace, as the command sees it.</param>
    public static IReadOnlyDictionary<string, string> For(string home, string workingDirectory, IReadOnlyDictionary<string, string?> worker)
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
        environment["HOME"] = home;
        environment["XDG_CONFIG_HOME"] = Path.Join(home, ".config");
        environment["PWD"] = workingDirectory;
        environment["TERM"] = "dumb";
        environment["PAGER"] = "cat";
        environment["GIT_PAGER"] = "cat";
        environment["GIT_TERMINAL_PROMPT"] = "0";
        environment["GIT_CONFIG_NOSYSTEM"] = "1";
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        environment["GIT_CONFIG_NOGLOBAL"] = "1";
        environment["GIT_ATTR_NOSYSTEM"] = "1";
        environment["LESSKEY"] = "/dev/null";
        environment["LESSKEYIN"] = "/dev/null";
        environment["LESSHISTFILE"] = "-";
        // No shell escapes, pipes, editor or log files from inside less, whatever its key bindings say.
        environment["LESSSECURE"] = "1";
        environment["INPUTRC"] = "/dev/null";
        return environment;
    }

    /// <summary>True for a variable whose name or value looks like it carries a credential.</summary>
    public static bool LooksSecret(string name, string value) =>
        SecretMarkers.Any(marker => name.Contains(marker, StringComparison.OrdinalIgnoreCase))
        || value.Contains("://", StringComparison.Ordinal) && value.Contains('@', StringComparison.Ordinal)
        || value.Contains("password=", StringComparison.OrdinalIgnoreCase);
}
