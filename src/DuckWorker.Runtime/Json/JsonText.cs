using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Json;

/// <summary>
/// Compact JSON text for prompts and transcripts. Models read it, not browsers, so non-ASCII text is written
/// as itself (the seed's <c>ensure_ascii=False</c>) instead of as longer escapes.
/// </summary>
public static class JsonText
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Of(JsonNode? node) => node?.ToJsonString(Options) ?? "null";

    public static string Of(JsonElement element) => JsonSerializer.Serialize(element, Options);
}
