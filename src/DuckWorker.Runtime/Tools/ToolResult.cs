using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Tools;

/// <summary>What a tool call produced: <c>{ ok, output, error, metadata }</c> (README.md, "Tools and the command policy"; results in docs/events.md).</summary>
public sealed record ToolResult(bool Ok, string? Output, string? Error, JsonObject Metadata)
{
    public static ToolResult Success(string output, JsonObject? metadata = null) => new(true, output, null, metadata ?? []);

    public static ToolResult Failure(string error, JsonObject? metadata = null) => new(false, null, error, metadata ?? []);

    public bool RequiresApproval => Flag(ToolMetadata.RequiresApproval);

    /// <summary>The policy refused the call: it did not run, and no approval can make it run.</summary>
    public bool Blocked => Flag(ToolMetadata.Blocked);

    /// <summary>The seed's result object; a blocked one also says <c>"blocked": true</c> where a reader looks first.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["ok"] = Ok,
            ["output"] = Output,
            ["error"] = Error,
            ["metadata"] = Metadata.DeepClone(),
        };
        if (Blocked)
        {
            json[ToolMetadata.Blocked] = true;
        }

        return json;
    }

    public static ToolResult FromJson(JsonObject json) => new(
        json["ok"]?.GetValue<bool>() ?? false,
        json["output"]?.GetValue<string>(),
        json["error"]?.GetValue<string>(),
        json["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : []);

    private bool Flag(string key) => Metadata[key] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
