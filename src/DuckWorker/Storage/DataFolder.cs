namespace DuckWorker.Storage;

/// <summary>
/// Where the worker and <c>duck</c> keep their data when <c>Sqlite:Path</c> and <c>Tools:WorkspaceRoot</c> are not
/// set: one folder per user, as the XDG base directories name it, so that both find the same store from any
/// working directory. A configured relative path is taken from the current directory.
/// </summary>
public static class DataFolder
{
    /// <summary>The rule, as <c>--help</c> states it.</summary>
    public const string Rule =
        "Without Sqlite:Path and Tools:WorkspaceRoot, the store (duckworker.db) and the workspaces live in $XDG_DATA_HOME/duckworker " +
        "(else ~/.local/share/duckworker), for the worker and duck alike; a relative path that is set is taken from the current directory.";

    private const string Name = "duckworker";

    /// <summary>The folder of this user: <c>$XDG_DATA_HOME/duckworker</c>, else <c>~/.local/share/duckworker</c>.</summary>
    public static string Path
    {
        get
        {
            // The XDG specification ignores a relative XDG_DATA_HOME.
            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            var data = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
                ? xdg
                : System.IO.Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
            return System.IO.Path.Join(data, Name);
        }
    }

    /// <summary>The settings this folder gives, to put under every other source of configuration.</summary>
    public static IReadOnlyDictionary<string, string?> Defaults() => new Dictionary<string, string?>
    {
        ["Sqlite:Path"] = System.IO.Path.Join(Path, "duckworker.db"),
        ["Tools:WorkspaceRoot"] = System.IO.Path.Join(Path, "workspaces"),
    };
}
