using System.Text.Json;
using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Models;

/// <summary>
/// Reads the JSON object a model was asked for. Structured output makes broken JSON rare, not impossible
/// (older servers ignore the schema, small models wrap the object in prose or code fences), so the common
/// wrappings are repaired and anything else is rejected with a reason that shows what came back.
/// </summary>
public static class ModelJson
{
    private const int SnippetChars = 200;

    private static readonly JsonDocumentOptions Lenient = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    public static bool TryReadObject(string content, out JsonObject value, out string error)
    {
        value = [];
        var start = content.IndexOf('{', StringComparison.Ordinal);
        var end = content.LastIndexOf('}');
        if (start < 0 || end < start)
        {
            error = $"The model answer is not a JSON object: {Snippet(content)}";
            return false;
        }

        try
        {
            if (JsonNode.Parse(content.AsSpan(start, end - start + 1).ToString(), documentOptions: Lenient) is JsonObject parsed)
            {
                value = parsed;
                error = "";
                return true;
            }
        }
        catch (JsonException ex)
        {
            error = $"The model answer is not valid JSON ({ex.Message}): {Snippet(content)}";
            return false;
        }

        error = $"The model answer is not a JSON object: {Snippet(content)}";
        return false;
    }

    private static string Snippet(string content)
    {
        var text = content.Trim();
        return text.Length == 0 ? "(empty)" : text.Length <= SnippetChars ? text : string.Concat(text.AsSpan(0, SnippetChars), "…");
    }
}
