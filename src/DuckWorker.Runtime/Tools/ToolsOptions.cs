using System.ComponentModel.DataAnnotations;

namespace DuckWorker.Runtime.Tools;

/// <summary>The <c>Tools</c> section: where workspaces live and how far a tool call may go.</summary>
public sealed class ToolsOptions
{
    public const string Section = "Tools";

    /// <summary>Every workspace is a folder under this one; relative paths are taken from the current directory.</summary>
    [Required(ErrorMessage = "Tools:WorkspaceRoot is required: the folder under which every task's workspace lives.")]
    public string WorkspaceRoot { get; set; } = "";

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = "Tools:ShellTimeout must be between 00:00:01 and 01:00:00.")]
    public TimeSpan ShellTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "Tools:MaxOutputBytes must be between 1024 and 16777216.")]
    public int MaxOutputBytes { get; set; } = 64 * 1024;
}
