using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;

namespace DuckWorker.Cli.Rendering;

/// <summary>A tool call on one line: a shell command as it would run, anything else as its JSON arguments, clipped.</summary>
internal static class ActionSummary
{
    public static string Of(JsonObject args, int width = 80)
    {
        var text = (args["command"] is JsonValue command && command.TryGetValue<string>(out var line) ? line : JsonText.Of(args)).ReplaceLineEndings(" ");
        return text.Length <= width ? text : text[..width] + "…";
    }
}
