using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>Reads a path argument of a file tool and confines it to the workspace.</summary>
internal static class PathArgument
{
    /// <summary>
    /// The assessment of a call whose path is missing or leaves the workspace, or null with the resolved path
    /// when the path is usable.
    /// </summary>
    public static ToolAssessment? Resolve(ToolAction action, ToolContext context, string? fallback, out string resolved)
    {
        resolved = "";
        var path = action.StringArg("path") ?? fallback;
        if (string.IsNullOrWhiteSpace(path))
        {
            return ToolAssessment.Invalid(action, $"{action.Tool} needs a 'path' argument.");
        }

        var inside = WorkspacePath.ResolveInside(context.Workspace, path, out var error);
        if (inside is null)
        {
            return ToolAssessment.Invalid(action, error);
        }

        resolved = inside;
        return null;
    }

    public static JsonObject Metadata(ToolContext context, string resolved) =>
        new() { [ToolMetadata.Path] = WorkspacePath.Relative(context.Workspace, resolved) };

    public static ToolAssessment Runs(ToolAction action, ToolContext context, string resolved, string reason) =>
        new(ToolVerdict.Run, reason, "low", new NormalizedAction(action.Tool, WorkspacePath.Relative(context.Workspace, resolved)), "", Metadata(context, resolved));
}
