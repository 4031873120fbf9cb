using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools;

/// <summary>Turns the workspace a job names into the folder its task works in, under <c>Tools:WorkspaceRoot</c>.</summary>
public sealed class Workspaces(IOptions<ToolsOptions> options)
{
    private readonly Lazy<string> root = new(() =>
    {
        var folder = Path.GetFullPath(options.Value.WorkspaceRoot);
        Directory.CreateDirectory(folder);
        return WorkspacePath.RealPath(folder);
    });

    /// <summary>The workspace root, absolute with links resolved; created when missing.</summary>
    public string Root => root.Value;

    /// <summary>Whether <paramref name="workspace"/> is the new folder a task got because its job named none.</summary>
    public bool IsTasksOwn(string? workspace, string taskId) =>
        workspace is not null && string.Equals(workspace, Path.Join(Root, taskId), StringComparison.Ordinal);

    /// <summary>
    /// The workspace for a task: the named folder (relative to the root when relative), which must exist and
    /// lie under the root once links are followed; or, when none is named, a folder of the task's own.
    /// </summary>
    public string? Resolve(string? requested, string taskId, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(requested))
        {
            // Made when the task prepares its first tool call (ToolGateway): most tasks call none, and a folder
            // for every job would be a file-system write for every job.
            return Path.Join(Root, taskId);
        }

        if (requested.Contains('\0', StringComparison.Ordinal))
        {
            error = "The workspace path contains a NUL byte.";
            return null;
        }

        var full = Path.GetFullPath(Path.IsPathRooted(requested) ? requested : Path.Join(Root, requested));
        if (!Directory.Exists(full))
        {
            error = $"The workspace '{requested}' does not exist (looked for the folder {full}).";
            return null;
        }

        var resolved = WorkspacePath.RealPath(full);
        if (!WorkspacePath.IsInside(Root, resolved) || resolved == Root)
        {
            error = $"The workspace '{requested}' is not a folder under Tools:WorkspaceRoot ({Root}).";
            return null;
        }

        return resolved;
    }
}
