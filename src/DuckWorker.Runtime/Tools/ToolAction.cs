using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Tools;

/// <summary>One entry of an action directive: the tool to run, its arguments and the model's reason.</summary>
public sealed record ToolAction(string Tool, JsonObject Args, string? Reason)
{
    /// <summary>Reads one directive entry; anything but an object is refused with the seed's wording.</summary>
    public static bool TryParse(JsonNode? node, out ToolAction action, out string error)
    {
        if (node is not JsonObject entry)
        {
            action = new ToolAction("", [], null);
            error = "Action must be an object";
            return false;
        }

        var tool = entry["tool"] is JsonValue name && name.TryGetValue<string>(out var text) ? text : "";
        var args = entry["args"] as JsonObject ?? [];
        var reason = entry["reason"] is JsonValue why && why.TryGetValue<string>(out var reasonText) ? reasonText : null;
        action = new ToolAction(tool, (JsonObject)args.DeepClone(), reason);
        error = "";
        return true;
    }

    public static ToolAction FromJson(JsonObject json) =>
        TryParse(json, out var action, out _) ? action : throw new ArgumentException("Not an action object.", nameof(json));

    /// <summary>The argument as text, or null when it is missing or not a string.</summary>
    public string? StringArg(string name) =>
        Args[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public JsonObject ToJson() => new()
    {
        ["tool"] = Tool,
        ["args"] = Args.DeepClone(),
        ["reason"] = Reason,
    };
}
