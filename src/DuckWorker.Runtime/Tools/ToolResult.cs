using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Tools;

/// <summary>What a tool call produced: <c>{ ok, output, error, metadata }</c> (DESIGN.md section 5).</summary>
public sealed record ToolResult(bool Ok, string? Output, string? Error, JsonObject Metadata)
{
    public static ToolResult Success(string output, JsonObject? metadata = null) => new(true, output, null, metadata ?? []);

    public static ToolResult Failure(string error, JsonObject? metadata = null) => new(false, null, error, metadata ?? []);

    public bool RequiresApproval => Metadata[ToolMetadata.RequiresApproval] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public JsonObject ToJson() => new()
    {
        ["ok"] = Ok,
        ["output"] = Output,
        ["error"] = Error,
        ["metadata"] = Metadata.DeepClone(),
    };

    public static ToolResult FromJson(JsonObject json) => new(
        json["ok"]?.GetValue<bool>() ?? false,
        json["output"]?.GetValue<string>(),
        json["error"]?.GetValue<string>(),
        json["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : []);
}
