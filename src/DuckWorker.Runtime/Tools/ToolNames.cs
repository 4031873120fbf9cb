namespace DuckWorker.Runtime.Tools;

/// <summary>The tool names of README.md, "Tools and the command policy"; results in docs/events.md.</summary>
public static class ToolNames
{
    public const string Shell = "shell_exec_safe";
    public const string FsRead = "fs_read";
    public const string FsList = "fs_list";
    public const string FsSearch = "fs_search";
    public const string FsWrite = "fs_write";
}
