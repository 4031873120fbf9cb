namespace DuckWorker.Runtime.Tools;

/// <summary>Where a tool call runs: the task it belongs to and its workspace, an absolute path with links resolved.</summary>
public sealed record ToolContext(string TaskId, string Workspace);
