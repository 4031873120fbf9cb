namespace DuckWorker.Runtime.Tools;

/// <summary>The <c>Tools</c> section: where workspaces live and how far a tool call may go.</summary>
public sealed class ToolsOptions
{
    public const string Section = "Tools";

    /// <summary>Every workspace is a folder under this one; relative paths are taken from the current directory.</summary>
    public string WorkspaceRoot { get; set; } = "";

    public TimeSpan ShellTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public int MaxOutputBytes { get; set; } = 64 * 1024;

    // The file tools.

    /// <summary>How long one <c>fs_search</c> may take in all; it stops there and says how far it got.</summary>
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
