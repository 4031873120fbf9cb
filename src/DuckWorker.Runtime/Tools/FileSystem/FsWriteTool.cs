using System.Text;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary><c>fs_write</c>: writes a text file of the workspace. Always needs approval, unless allowed forever for that file.</summary>
internal sealed class FsWriteTool : ITool
{
    public string Name => ToolNames.FsWrite;

    public string Usage => """{"path": "<file, relative to the workspace>", "content": "<text>"} creates or replaces a file (needs approval).""";

    public ToolAssessment Assess(ToolAction action, ToolContext context)
    {
        if (PathArgument.Resolve(action, context, null, out var path) is { } refused)
        {
            return refused;
        }

        if (action.StringArg("content") is null)
        {
            return ToolAssessment.Invalid(action, "fs_write needs a 'content' argument (text).");
        }

        if (Directory.Exists(path))
        {
            return ToolAssessment.Invalid(action, $"'{WorkspacePath.Relative(context.Workspace, path)}' is a folder.");
        }

        var relative = WorkspacePath.Relative(context.Workspace, path);
        var verb = File.Exists(path) ? "overwrites" : "creates";
        return new ToolAssessment(
            ToolVerdict.Approve,
            $"fs_write {verb} '{relative}' in the workspace.",
            "medium",
            new NormalizedAction(Name, relative),
            $"fs_write may create or overwrite the file '{relative}' (any content) in the workspace {context.Workspace}; no other file and no other workspace.",
            PathArgument.Metadata(context, path));
    }

    public async Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken)
    {
        // Resolved again: the file system may have changed since the call was assessed.
        if (PathArgument.Resolve(action, context, null, out var path) is { } refused)
        {
            return ToolResult.Failure(refused.Reason);
        }

        var content = action.StringArg("content") ?? "";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content, new UTF8Encoding(false), cancellationToken);
        var metadata = PathArgument.Metadata(context, path);
        metadata["bytes"] = Encoding.UTF8.GetByteCount(content);
        return ToolResult.Success($"Wrote {metadata["bytes"]} bytes to {metadata[ToolMetadata.Path]}.", metadata);
    }
}
