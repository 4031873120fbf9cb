using System.Text;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>
/// <c>fs_write</c>: writes a regular text file of the workspace. Always needs approval, unless allowed forever
/// for that file. Never writes through a hard link or into a FIFO, socket or device.
/// </summary>
internal sealed class FsWriteTool : ITool
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

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

        var relative = WorkspacePath.Relative(context.Workspace, path);
        var kind = ConfinedFile.KindOf(path);
        if (Unwritable(relative, kind, ConfinedFile.LinkCountOf(path)) is { } reason)
        {
            return ToolAssessment.Invalid(action, reason);
        }

        var verb = kind is null ? "creates" : "overwrites";
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

        var metadata = PathArgument.Metadata(context, path);
        var relative = WorkspacePath.Relative(context.Workspace, path);
        if (Unwritable(relative, ConfinedFile.KindOf(path), ConfinedFile.LinkCountOf(path)) is { } reason)
        {
            return ToolResult.Failure(reason, metadata);
        }

        var content = Utf8.GetBytes(action.StringArg("content") ?? "");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var file = ConfinedFile.OpenToWrite(context.Workspace, path, out var error);
        if (file is null)
        {
            return ToolResult.Failure(error, metadata);
        }

        // Truncated only now that the file is accepted, so a refused or cancelled write changes nothing.
        cancellationToken.ThrowIfCancellationRequested();
        file.SetLength(0);
        await file.WriteAsync(content, cancellationToken);
        metadata["bytes"] = content.Length;
        return ToolResult.Success($"Wrote {content.Length} bytes to {metadata[ToolMetadata.Path]}.", metadata);
    }

    /// <summary>
    /// Why the file cannot be written, asked before anything is opened (the open checks again on what it opened):
    /// a folder, a FIFO (opening it would wait for a reader), a socket or device, or a file with other names.
    /// </summary>
    private static string? Unwritable(string relative, FileKind? kind, uint links) => kind switch
    {
        null => null,
        FileKind.Regular when links <= 1 => null,
        FileKind.Regular => $"'{relative}' has {links} names (hard links); another name may lie outside the workspace, so fs_write does not change it.",
        FileKind.Folder => $"'{relative}' is a folder.",
        { } other => $"'{relative}' is {ConfinedFile.Describe(other)}, not a regular file; fs_write writes regular files only.",
    };
}
