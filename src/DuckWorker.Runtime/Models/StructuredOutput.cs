using System.Text.Json;
using Microsoft.Extensions.AI;

namespace DuckWorker.Runtime.Models;

/// <summary>The JSON schemas sent as Ollama's <c>format</c> for the roles that must answer with JSON.</summary>
public static class StructuredOutput
{
    public static ChatResponseFormat ActionDirective { get; } = Schema("action_directive", """
        {
          "type": "object",
          "properties": {
            "actions": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "tool": { "type": "string" },
                  "args": { "type": "object" },
                  "reason": { "type": "string" }
                },
                "required": ["tool", "args", "reason"]
              }
            }
          },
          "required": ["actions"]
        }
        """);

    public static ChatResponseFormat MemoryDecision { get; } = Schema("memory_decision", """
        {
          "type": "object",
          "properties": {
            "should_store": { "type": "boolean" },
            "summary": { "type": "string" },
            "scope": { "type": "string", "enum": ["workspace", "global"] },
            "memory_type": { "type": "string", "enum": ["fact", "preference", "procedure", "project"] },
            "importance": { "type": "number", "minimum": 0, "maximum": 1 },
            "metadata": { "type": "object" }
          },
          "required": ["should_store", "summary", "scope", "memory_type", "importance"]
        }
        """);

    public static ChatResponseFormat Reflection { get; } = Schema("reflection", """
        {
          "type": "object",
          "properties": {
            "summary": { "type": "string" },
            "outcome": { "type": "string", "enum": ["success", "partial", "failure"] },
            "reusable_lesson": { "type": ["string", "null"] }
          },
          "required": ["summary", "outcome", "reusable_lesson"]
        }
        """);

    private static ChatResponseFormat Schema(string name, string schema)
    {
        using var document = JsonDocument.Parse(schema);
        return ChatResponseFormat.ForJsonSchema(document.RootElement.Clone(), name);
    }
}
