namespace DuckWorker.Runtime.Tools;

/// <summary>Metadata keys of a tool result that other programs read (README.md, "Tools and the command policy"; results in docs/events.md).</summary>
public static class ToolMetadata
{
    public const string Command = "command";
    public const string ActionType = "actionType";
    public const string RiskLevel = "riskLevel";
    public const string RequiresApproval = "requiresApproval";
    public const string Blocked = "blocked";
    public const string ReturnCode = "returncode";
    public const string Reason = "reason";
    public const string DurationMs = "durationMs";
    public const string Truncated = "truncated";
    public const string Decision = "decision";
    public const string Path = "path";
}
