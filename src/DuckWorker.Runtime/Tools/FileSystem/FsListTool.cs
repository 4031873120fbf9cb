using System.Text;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary><c>fs_list</c>: lists a folder of the workspace, folders first, with file sizes.</summary>
internal sealed class FsListTool : ITool
{
    /// <summary>Enough for any folder a model can reason about; the rest is counted, not listed.</summary>
    private const int MaxEntries = 1000;

    public string Name => ToolNames.FsList;

    public string Usage => $$"""{"path": "<folder, relative to the workspace; default \".\">"} lists a folder. {{EscapedName.Note}}""";

    public ToolAssessment Assess(ToolAction action, ToolContext context) =>
        PathArgument.Resolve(action, context, ".", out var path)
        ?? PathArgument.Runs(action, context, path, "Listing a folder of the workspace is read-only.");

    public Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken)
    {
        // Resolved again: the file system may have changed since the call was assessed.
        if (PathArgument.Resolve(action, context, ".", out var path) is { } refused)
        {
            return Task.FromResult(ToolResult.Failure(refused.Reason));
        }

        var metadata = PathArgument.Metadata(context, path);
        using var opened = ConfinedFile.OpenFolder(context.Workspace, path, out var error);
        if (opened is null)
        {
            return Task.FromResult(ToolResult.Failure(error, metadata));
        }

        var entries = new DirectoryInfo(ConfinedFile.ListingPath(opened, path)).EnumerateFileSystemInfos()
            .OrderBy(e => e is FileInfo)
            .ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
        var listing = new StringBuilder();
        foreach (var entry in entries.Take(MaxEntries))
        {
            listing.AppendLine(entry switch
            {
                DirectoryInfo folder => EscapedName.Of(folder.Name) + "/",
                FileInfo { LinkTarget: { } target } link => $"{EscapedName.Of(link.Name)} -> {EscapedName.Of(target)}",
                FileInfo file => $"{EscapedName.Of(file.Name)}\t{file.Length}",
                _ => EscapedName.Of(entry.Name),
            });
        }

        if (entries.Count > MaxEntries)
        {
            listing.AppendLine($"… and {entries.Count - MaxEntries} more entries");
        }

        metadata["entries"] = entries.Count;
        return Task.FromResult(ToolResult.Success(listing.ToString(), metadata));
    }
}
