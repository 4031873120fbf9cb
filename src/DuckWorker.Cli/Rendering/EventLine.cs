using System.Text.Json;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;

namespace DuckWorker.Cli.Rendering;

/// <summary>One task event as one line a person can follow: its seq, its type and what matters in it.</summary>
internal static class EventLine
{
    private const int MaxChars = 100;

    public static string Of(long seq, string eventType, JsonElement payload) => $"{seq,4}  {eventType,-26} {Brief(eventType, payload)}";

    private static string Brief(string eventType, JsonElement payload) => eventType switch
    {
        EventTypes.TaskCreated => Clip(Text(payload, "message")),
        EventTypes.MemoryRecalled => $"{Count(payload, "memories")} memories, {Count(payload, "lessons")} lessons",
        EventTypes.ModelCallStarted => Text(payload, "role"),
        EventTypes.ActionDirective => $"{Count(payload, "actions")} actions",
        EventTypes.ToolCallStarted => $"{Text(payload, "tool")} {Clip(JsonText.Of(payload.GetProperty("args")))}",
        EventTypes.CommandAudit => $"{Text(payload, "command")}: {(Flag(payload, "blocked") ? "blocked" : Flag(payload, "requires_approval") ? "needs approval" : "runs")} ({Text(payload, "risk_level")})",
        EventTypes.ToolCallFinished => payload.GetProperty("result").GetProperty("ok").GetBoolean() ? "ok" : $"failed: {Clip(Text(payload.GetProperty("result"), "error"))}",
        EventTypes.ToolApprovalRequested => $"approval {Text(payload, "approval_id")}: {Clip(Text(payload, "reason"))}",
        EventTypes.CognitionResponse => Clip(Text(payload, "content")),
        EventTypes.ModelCallFinished => $"{Text(payload, "model")}, {Number(payload, "latency_ms")} ms, {Number(payload, "total_tokens")} tokens",
        EventTypes.TaskCompleted => Clip(Text(payload, "final_response")),
        EventTypes.TaskFailed or EventTypes.ActionDirectiveFailed or EventTypes.MemoryPolicyFailed or EventTypes.ReflectionFailed => Clip(Text(payload, "error")),
        EventTypes.TaskContinued => Text(payload, "decision"),
        EventTypes.MemoryStored => Clip(Text(payload, "summary")),
        _ => Clip(JsonText.Of(payload)),
    };

    private static string Text(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string Number(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "?";

    private static int Count(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : 0;

    private static bool Flag(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string Clip(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= MaxChars ? line : string.Concat(line.AsSpan(0, MaxChars), "…");
    }
}
