using System.Text;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary><c>fs_read</c>: reads a text file of the workspace, up to <c>maxBytes</c> (at most <c>Tools:MaxOutputBytes</c>).</summary>
internal sealed class FsReadTool(IOptions<ToolsOptions> options) : ITool
{
    public string Name => ToolNames.FsRead;

    public string Usage => """{"path": "<file, relative to the workspace>", "maxBytes": <optional limit>} reads a text file.""";

    public ToolAssessment Assess(ToolAction action, ToolContext context) =>
        PathArgument.Resolve(action, context, null, out var path)
        ?? PathArgument.Runs(action, context, path, "Reading a file of the workspace is read-only.");

    public async Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken)
    {
        // Resolved again: the file system may have changed since the call was assessed.
        if (PathArgument.Resolve(action, context, null, out var path) is { } refused)
        {
            return ToolResult.Failure(refused.Reason);
        }

        var metadata = PathArgument.Metadata(context, path);
        if (Directory.Exists(path))
        {
            return ToolResult.Failure($"'{metadata[ToolMetadata.Path]}' is a folder; use fs_list.", metadata);
        }

        if (!File.Exists(path))
        {
            return ToolResult.Failure($"'{metadata[ToolMetadata.Path]}' does not exist.", metadata);
        }

        if (!FileKind.IsRegularFile(path))
        {
            return ToolResult.Failure($"'{metadata[ToolMetadata.Path]}' is not a regular file (a device, a pipe or a socket); fs_read reads files only.", metadata);
        }

        var limit = options.Value.MaxOutputBytes;
        if (action.Args["maxBytes"] is { } requested && requested.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            limit = Math.Clamp(requested.GetValue<int>(), 1, limit);
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, useAsync: true);
        var buffer = new byte[Math.Min(limit, Math.Max(file.Length, 1))];
        var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        metadata["bytes"] = file.Length;
        if (file.Length > read)
        {
            metadata[ToolMetadata.Truncated] = true;
        }

        return ToolResult.Success(Encoding.UTF8.GetString(buffer, 0, read), metadata);
    }
}
