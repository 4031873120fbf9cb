using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary><c>fs_read</c>: reads a text file of the workspace, up to <c>maxBytes</c> (at most <c>Tools:MaxOutputBytes</c>).</summary>
internal sealed class FsReadTool(IOptions<ToolsOptions> options) : ITool
{
    public string Name => ToolNames.FsRead;

    public string Usage =>
        $$"""{"path": "<file, relative to the workspace>", "maxBytes": <optional limit, 1 to {{options.Value.MaxOutputBytes}}>} reads a text file.""";

    public ToolAssessment Assess(ToolAction action, ToolContext context)
    {
        if (PathArgument.Resolve(action, context, null, out var path) is { } refused)
        {
            return refused;
        }

        return TryLimit(action, out _, out var error)
            ? PathArgument.Runs(action, context, path, "Reading a file of the workspace is read-only.")
            : ToolAssessment.Invalid(action, error);
    }

    public async Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken)
    {
        // Resolved again: the file system may have changed since the call was assessed.
        if (PathArgument.Resolve(action, context, null, out var path) is { } refused)
        {
            return ToolResult.Failure(refused.Reason);
        }

        if (!TryLimit(action, out var limit, out var invalid))
        {
            return ToolResult.Failure(invalid);
        }

        var metadata = PathArgument.Metadata(context, path);
        switch (ConfinedFile.KindOf(path))
        {
            case null:
                return ToolResult.Failure($"'{metadata[ToolMetadata.Path]}' does not exist.", metadata);
            case FileKind.Folder:
                return ToolResult.Failure($"'{metadata[ToolMetadata.Path]}' is a folder; use fs_list.", metadata);
            case { } kind when kind != FileKind.Regular:
                return ToolResult.Failure($"'{metadata[ToolMetadata.Path]}' is {ConfinedFile.Describe(kind)}, not a regular file; fs_read reads files only.", metadata);
        }

        await using var file = ConfinedFile.OpenToRead(context.Workspace, path, out var error);
        if (file is null)
        {
            return ToolResult.Failure(error, metadata);
        }

        var buffer = new byte[Math.Min(limit, Math.Max(file.Length, 1))];
        var read = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        metadata["bytes"] = file.Length;
        metadata["maxBytes"] = limit;
        if (file.Length > read)
        {
            metadata[ToolMetadata.Truncated] = true;
        }

        return ToolResult.Success(Encoding.UTF8.GetString(buffer, 0, read), metadata);
    }

    /// <summary>
    /// The number of bytes to read: <c>maxBytes</c> clamped to 1..<c>Tools:MaxOutputBytes</c> (a fraction is
    /// rounded down, a number in a string is read as a number, a missing or null one means the most); false
    /// with the reason for anything that is not a number.
    /// </summary>
    private bool TryLimit(ToolAction action, out int limit, out string error)
    {
        var most = options.Value.MaxOutputBytes;
        limit = most;
        error = "";
        var requested = action.Args["maxBytes"];
        var text = requested?.GetValueKind() switch
        {
            null or JsonValueKind.Null => null,
            JsonValueKind.Number => requested.ToJsonString(),
            JsonValueKind.String => requested.GetValue<string>(),
            _ => "",
        };
        if (text is null)
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsNaN(number))
        {
            error = $"fs_read's 'maxBytes' must be a number of bytes from 1 to {most}; it is {requested!.ToJsonString()}.";
            return false;
        }

        limit = (int)Math.Clamp(Math.Floor(number), 1, most);
        return true;
    }
}
