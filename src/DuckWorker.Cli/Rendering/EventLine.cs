using System.Text.Json;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;

namespace DuckWorker.Cli.Rendering;

/// <summary>One task event as one line a person can follow: its seq, its type and what matters in it.</summary>
internal static class EventLine
{
    private const int MaxChars = 100;

    public static string Of(long seq, string eventType, JsonElement payload) => $"{seq,4}  {eventType,-26} {Brief(eventType, payload)}";

    /// <summary>What matters in the event, without its seq and type.</summary>
    public static string Brief(string eventType, JsonElement payload) => eventType switch
    {
        EventTypes.TaskCreated => Clip(Text(payload, "message")),
        EventTypes.MemoryRecalled => $"{Count(payload, "memories")} memories, {Count(payload, "lessons")} lessons",
        EventTypes.ModelCallStarted => Text(payload, "role"),
        EventTypes.ActionDirective => $"{Count(payload, "actions")} actions",
        EventTypes.ToolCallStarted => $"{Text(payload, "tool")} {Clip(Property(payload, "args") is { ValueKind: JsonValueKind.Object } args ? JsonText.Of(args) : "")}{(Text(payload, "approval_id") is { Length: > 0 } id ? $" (approval {id})" : "")}",
        EventTypes.CommandAudit => CommandAudit(payload),
        EventTypes.ToolCallFinished => ToolResult(Property(payload, "result")),
        EventTypes.ToolApprovalRequested => $"approval {Text(payload, "approval_id")}: {Clip(Text(payload, "reason"))}",
        EventTypes.TaskWaitingForApproval => WaitingFor(payload),
        EventTypes.CognitionResponse => Clip(Text(payload, "content")),
        EventTypes.ModelCallFinished => $"{Text(payload, "role")} {Text(payload, "model")}, {Number(payload, "latency_ms")} ms, {Number(payload, "total_tokens")} tokens",
        EventTypes.TaskCompleted => Clip(Text(payload, "final_response")),
        EventTypes.TaskFailed or EventTypes.ActionDirectiveFailed or EventTypes.MemoryPolicyFailed or EventTypes.ReflectionFailed => Clip(Text(payload, "error")),
        EventTypes.TaskContinued => $"{Text(payload, "decision")} (approval {Text(payload, "approval_id")}){(Text(payload, "comment") is { Length: > 0 } comment ? $": {Clip(comment)}" : "")}",
        EventTypes.ApprovalEdited => $"approval {Text(payload, "approval_id")}: {Text(payload, "tool")} edited by {Text(payload, "decided_by")} to {Clip(Property(payload, "approved") is { ValueKind: JsonValueKind.Object } approved ? JsonText.Of(approved) : "")}",
        EventTypes.TaskResumed => Clip(Text(payload, "reason")),
        EventTypes.ApprovalDecisionRejected => $"{Text(payload, "decision")} by {Text(payload, "decided_by")} rejected: {Clip(Text(payload, "reason"))}",
        EventTypes.MemoryPolicyDecision => Flag(payload, "should_store") ? $"store ({Text(payload, "scope")}): {Clip(Text(payload, "summary"))}" : "nothing to store",
        EventTypes.MemoryStored => $"{(Flag(payload, "merged") ? "merged" : "new")} ({Text(payload, "scope")}): {Clip(Text(payload, "summary"))}",
        EventTypes.ReflectionCompleted => Clip(Text(payload, "summary")),
        EventTypes.ToolIterationLimitReached => $"stopped after {Number(payload, "max_tool_iterations")} tool iterations",
        EventTypes.EmbeddingFailed => $"{Text(payload, "kind")} {Text(payload, "id")}: {Clip(Text(payload, "error"))}",
        EventTypes.ModelUnavailable => ModelUnavailable(payload),
        EventTypes.TaskCancelRequested or EventTypes.TaskCancelled => $"by {Text(payload, "by")}{(Text(payload, "reason") is { Length: > 0 } reason ? $": {Clip(reason)}" : "")}",
        EventTypes.TaskRetried => $"runs again as task {Text(payload, "new_task_id")} (job {Text(payload, "new_job_id")}), by {Text(payload, "by")}",
        EventTypes.ApprovalExpired => $"approval {Text(payload, "approval_id")} ({Text(payload, "tool")}) undecided after {Number(payload, "timeout_seconds")} s",
        _ => Clip(JsonText.Of(payload)),
    };

    private static string ModelUnavailable(JsonElement payload)
    {
        var next = Number(payload, "delay") is var delay and not "?" ? $"next attempt in {delay} s" : "no attempt left";
        return $"{Text(payload, "role")} {Text(payload, "model")}, attempt {Number(payload, "attempt")}: {Clip(Text(payload, "reason"))}; {next}";
    }

    /// <summary>
    /// What became of a shell command. A denial's audit carries no assessment (the stored call was judged when
    /// it asked for approval; a denied one never runs): neither blocked nor waiting, no exit code.
    /// </summary>
    private static string CommandAudit(JsonElement payload)
    {
        var risk = Text(payload, "risk_level") is { Length: > 0 } level ? $" ({level} risk)" : "";
        return $"{Text(payload, "command")}: {CommandOutcome(payload)}{risk}";
    }

    private static string CommandOutcome(JsonElement payload)
    {
        if (Flag(payload, "blocked"))
        {
            return "blocked";
        }

        if (Flag(payload, "requires_approval"))
        {
            return "needs approval";
        }

        if (Number(payload, "returncode") is var code and not "?")
        {
            return $"{(Flag(payload, "approved") ? "approved, " : "")}ran, exit code {code}";
        }

        return !Flag(payload, "ok") && !Flag(payload, "approved") && Text(payload, "action_type").Length == 0
            ? "denied"
            : $"did not run: {Clip(Text(payload, "reason"))}";
    }

    private static string ToolResult(JsonElement result) => true switch
    {
        _ when Flag(result, "ok") => "ok",
        _ when Property(result, "metadata") is { ValueKind: JsonValueKind.Object } metadata && Text(metadata, "decision") == "deny" => "denied",
        _ when Property(result, "metadata") is { ValueKind: JsonValueKind.Object } metadata && Flag(metadata, "blocked") => $"blocked: {Clip(Text(result, "error"))}",
        _ => $"failed: {Clip(Text(result, "error"))}",
    };

    private static string WaitingFor(JsonElement payload)
    {
        var waiting = Property(payload, "observations") is { ValueKind: JsonValueKind.Array } observations
            ? observations.EnumerateArray().Select(o => Text(o, "approval_id")).Where(id => id.Length > 0).ToList()
            : [];
        return waiting.Count == 0 ? "waiting for a decision" : $"waiting for approval {string.Join(", ", waiting)}";
    }

    private static JsonElement Property(JsonElement payload, string name) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var value) ? value : default;

    private static string Text(JsonElement payload, string name) =>
        Property(payload, name) is { ValueKind: JsonValueKind.String } value ? value.GetString()! : "";

    private static string Number(JsonElement payload, string name) =>
        Property(payload, name) is { ValueKind: JsonValueKind.Number } value ? value.GetRawText() : "?";

    private static int Count(JsonElement payload, string name) =>
        Property(payload, name) is { ValueKind: JsonValueKind.Array } value ? value.GetArrayLength() : 0;

    private static bool Flag(JsonElement payload, string name) =>
        Property(payload, name).ValueKind == JsonValueKind.True;

    private static string Clip(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= MaxChars ? line : string.Concat(line.AsSpan(0, MaxChars), "…");
    }
}
