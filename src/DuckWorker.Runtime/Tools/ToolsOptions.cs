using DuckWorker.Runtime.Tools.Shell;

namespace DuckWorker.Runtime.Tools;

/// <summary>The <c>Tools</c> section: where workspaces live and how far a tool call may go.</summary>
public sealed class ToolsOptions
{
    public const string Section = "Tools";

    /// <summary>Every workspace is a folder under this one; relative paths are taken from the current directory.</summary>
    public string WorkspaceRoot { get; set; } = "";

    public TimeSpan ShellTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public int MaxOutputBytes { get; set; } = 64 * 1024;

    /// <summary>How long one <c>fs_search</c> may take in all; it stops there and says how far it got.</summary>
    public TimeSpan SearchTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>auto</c>, <c>required</c> or <c>off</c>, in any case: see <see cref="SandboxMode"/>.</summary>
    public string Sandbox { get; set; } = "auto";

    /// <summary>The bubblewrap program the sandbox runs.</summary>
    public string BubblewrapPath { get; set; } = "/usr/bin/bwrap";

    public ShellLimits Limits { get; set; } = new();

    /// <summary><see cref="Sandbox"/> as a mode; the validator has refused any other value at start.</summary>
    internal SandboxMode SandboxMode => Enum.Parse<SandboxMode>(Sandbox, ignoreCase: true);
}
