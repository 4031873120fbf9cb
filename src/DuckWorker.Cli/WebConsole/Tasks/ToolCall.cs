using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>
/// One tool call of a task, gathered from the events that share its index: what was asked
/// (<c>tool_call_started</c>, or <c>tool_approval_requested</c> while it waits), the policy's judgement
/// (<c>command_audit</c>) and what it produced (<c>tool_call_finished</c>).
/// </summary>
internal sealed record ToolCall(long Index, string Tool, JsonElement Args)
{
    public string? ApprovalId { get; init; }

    /// <summary>Why the call needed a person's decision, when it did.</summary>
    public string? ApprovalReason { get; init; }

    public IReadOnlyList<JsonElement> Audits { get; init; } = [];

    /// <summary>The tool's result, once it finished.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>The task's tool calls in the order they were first recorded.</summary>
    public static IReadOnlyList<ToolCall> From(IEnumerable<TaskEvent> events)
    {
        var calls = new List<ToolCall>();
        foreach (var entry in events)
        {
            if (entry.EventType is not (EventTypes.ToolCallStarted or EventTypes.ToolApprovalRequested or EventTypes.CommandAudit or EventTypes.ToolCallFinished)
                || !entry.Payload.TryGetProperty("index", out var number) || !number.TryGetInt64(out var index))
            {
                continue;
            }

            var at = calls.FindIndex(c => c.Index == index);
            var call = at >= 0 ? calls[at] : new ToolCall(index, Text(entry.Payload, "tool") ?? "", default);
            call = entry.EventType switch
            {
                EventTypes.ToolCallStarted => call with { Args = Property(entry.Payload, "args"), ApprovalId = Text(entry.Payload, "approval_id") ?? call.ApprovalId },
                EventTypes.ToolApprovalRequested => call with
                {
                    Args = call.Args.ValueKind == JsonValueKind.Undefined ? Property(Property(entry.Payload, "action"), "args") : call.Args,
                    ApprovalId = Text(entry.Payload, "approval_id"),
                    ApprovalReason = Text(entry.Payload, "reason"),
                },
                EventTypes.CommandAudit => call with { Audits = [.. call.Audits, entry.Payload] },
                _ => call with { Result = Property(entry.Payload, "result") },
            };
            if (at >= 0)
            {
                calls[at] = call;
            }
            else
            {
                calls.Add(call);
            }
        }

        return calls;
    }

    private static JsonElement Property(JsonElement payload, string name) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty(name, out var value) ? value : default;

    private static string? Text(JsonElement payload, string name) =>
        Property(payload, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
