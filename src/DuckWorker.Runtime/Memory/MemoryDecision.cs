using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Memory;

/// <summary>The memory model's verdict on a finished task, as the seed's <c>memory_policy_decision</c> records it.</summary>
public sealed record MemoryDecision(bool ShouldStore, string Summary, string Scope, string MemoryType, double Importance, JsonObject Metadata)
{
    public const string WorkspaceScope = "workspace";
    public const string GlobalScope = "global";

    /// <summary>Reads the model's JSON; a decision to store needs a summary, and unknown scopes fall back to the workspace.</summary>
    public static bool TryRead(JsonObject json, out MemoryDecision decision, out string error)
    {
        decision = new MemoryDecision(false, "", WorkspaceScope, "fact", 0, []);
        if (json["should_store"] is not JsonValue flag || !flag.TryGetValue<bool>(out var shouldStore))
        {
            error = "The memory decision has no boolean 'should_store'.";
            return false;
        }

        var summary = json["summary"] is JsonValue text && text.TryGetValue<string>(out var s) ? s.Trim() : "";
        if (shouldStore && summary.Length == 0)
        {
            error = "The memory decision asks to store a memory without a summary.";
            return false;
        }

        var scope = json["scope"] is JsonValue sc && sc.TryGetValue<string>(out var scopeText) && scopeText == GlobalScope ? GlobalScope : WorkspaceScope;
        var type = json["memory_type"] is JsonValue mt && mt.TryGetValue<string>(out var typeText) && typeText.Length > 0 ? typeText : "fact";
        var importance = json["importance"] is JsonValue im && im.TryGetValue<double>(out var value) ? Math.Clamp(value, 0, 1) : 0.5;
        var metadata = json["metadata"] is JsonObject meta ? (JsonObject)meta.DeepClone() : [];
        decision = new MemoryDecision(shouldStore, summary, scope, type, importance, metadata);
        error = "";
        return true;
    }

    public JsonObject ToJson() => new()
    {
        ["should_store"] = ShouldStore,
        ["summary"] = Summary,
        ["scope"] = Scope,
        ["memory_type"] = MemoryType,
        ["importance"] = Importance,
        ["metadata"] = Metadata.DeepClone(),
    };
}
