using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Loop;

/// <summary>
/// Appends one task's events with the seed's payloads. Every payload shape of docs/events.md is
/// written here and nowhere else, so this file is the event contract. The events of a run's progress
/// (model calls, directives, answers, the completion, memory) are written behind the run (<see cref="JournalWriter"/>):
/// their methods return at once. Every other event is stored, with all before it, when its method returns.
/// </summary>
internal sealed class TaskJournal(IEventLog log, string taskId)
{
    private readonly JournalWriter writer = new(log, taskId);

    public Task TaskCreatedAsync(string message, string? workspace, bool debug, CancellationToken ct) =>
        StoreAsync([Created(message, workspace, debug)], ct);

    /// <summary>
    /// A task's acceptance, stored in one write: <c>task_created</c>, the <c>model_call_finished</c> of the calls its
    /// recall made before the task existed, and <c>memory_recalled</c>.
    /// </summary>
    public Task TaskAcceptedAsync(AgentTask task, IEnumerable<ModelCall> recallCalls, Recalled recalled, CancellationToken ct) =>
        StoreAsync([Created(task.Message, task.Workspace, task.Debug), .. recallCalls.Select(CallFinished), RecalledEvent(recalled)], ct);

    public void ModelCallStarted(string role, CancellationToken ct) =>
        Enqueue(EventTypes.ModelCallStarted, new() { ["role"] = role }, ct);

    public void ActionDirective(JsonObject directive, CancellationToken ct) =>
        Enqueue(EventTypes.ActionDirective, directive, ct);

    public void ActionDirectiveFailed(string error, CancellationToken ct) =>
        Enqueue(EventTypes.ActionDirectiveFailed, new() { ["error"] = error }, ct);

    /// <summary>The intent of a call, before it runs; <paramref name="approvalId"/> names the approval that released it, if any.</summary>
    public Task ToolCallStartedAsync(int index, ToolAction action, string? approvalId, CancellationToken ct)
    {
        var payload = new JsonObject { ["index"] = index, ["tool"] = action.Tool, ["args"] = action.Args.DeepClone() };
        if (approvalId is not null)
        {
            payload["approval_id"] = approvalId;
        }

        return AppendAsync(EventTypes.ToolCallStarted, payload, ct);
    }

    public Task ToolCallFinishedAsync(int index, string tool, ToolResult result, CancellationToken ct) =>
        AppendAsync(EventTypes.ToolCallFinished, new() { ["index"] = index, ["tool"] = tool, ["result"] = result.ToJson() }, ct);

    /// <summary>The audit record of a shell call; other tools have none.</summary>
    public Task CommandAuditAsync(int index, ToolAction action, ToolResult result, bool approved, CancellationToken ct)
    {
        if (action.Tool != ToolNames.Shell)
        {
            return Task.CompletedTask;
        }

        var metadata = result.Metadata;
        return AppendAsync(EventTypes.CommandAudit, new()
        {
            ["index"] = index,
            ["tool"] = action.Tool,
            ["command"] = metadata[ToolMetadata.Command]?.DeepClone() ?? action.StringArg("command"),
            ["action_type"] = metadata[ToolMetadata.ActionType]?.DeepClone(),
            ["risk_level"] = metadata[ToolMetadata.RiskLevel]?.DeepClone(),
            ["requires_approval"] = Flag(metadata, ToolMetadata.RequiresApproval),
            ["blocked"] = Flag(metadata, ToolMetadata.Blocked),
            ["approved"] = approved,
            ["ok"] = result.Ok,
            ["returncode"] = metadata[ToolMetadata.ReturnCode]?.DeepClone(),
            ["reason"] = metadata[ToolMetadata.Reason]?.DeepClone() ?? result.Error,
        }, ct);
    }

    public Task ToolApprovalRequestedAsync(int index, ToolAction action, string approvalId, string? reason, CancellationToken ct) =>
        AppendAsync(EventTypes.ToolApprovalRequested, new()
        {
            ["index"] = index,
            ["tool"] = action.Tool,
            ["action"] = action.ToJson(),
            ["approval_id"] = approvalId,
            ["reason"] = reason,
        }, ct);

    public Task TaskWaitingForApprovalAsync(IEnumerable<ToolObservation> observations, CancellationToken ct) =>
        AppendAsync(EventTypes.TaskWaitingForApproval, new() { ["observations"] = new JsonArray([.. observations.Select(o => o.ToJson())]) }, ct);

    public void CognitionResponse(ModelResponse response, CancellationToken ct) =>
        Enqueue(EventTypes.CognitionResponse, new()
        {
            ["role"] = response.Role,
            ["content"] = response.Content,
            ["reasoning_content"] = response.ReasoningContent,
        }, ct);

    /// <summary>Every answered model call, of every role; <c>texts</c> only for an embedding call.</summary>
    public void ModelCallFinished(ModelCall call, CancellationToken ct) => writer.Enqueue(CallFinished(call), ct);

    private static NewEvent CallFinished(ModelCall call)
    {
        var payload = new JsonObject
        {
            ["role"] = call.Role,
            ["model"] = call.Model,
            ["latency_ms"] = call.LatencyMs,
            ["prompt_tokens"] = call.PromptTokens,
            ["completion_tokens"] = call.CompletionTokens,
            ["total_tokens"] = call.TotalTokens,
        };
        if (call.Texts is { } texts)
        {
            payload["texts"] = texts;
        }

        return Event(EventTypes.ModelCallFinished, payload);
    }

    /// <summary>One failed attempt at a model; <paramref name="retryIn"/> is null when no attempt follows.</summary>
    public Task ModelUnavailableAsync(string role, string? model, int attempt, TimeSpan? retryIn, string reason, CancellationToken ct) =>
        AppendAsync(EventTypes.ModelUnavailable, new()
        {
            ["role"] = role,
            ["model"] = model,
            ["attempt"] = attempt,
            ["delay"] = retryIn is { } delay ? Math.Round(delay.TotalSeconds, 3) : null,
            ["reason"] = reason,
        }, ct);

    public void TaskCompleted(string finalResponse, string? reasoningContent, CancellationToken ct) =>
        Enqueue(EventTypes.TaskCompleted, new() { ["final_response"] = finalResponse, ["reasoning_content"] = reasoningContent }, ct);

    public Task TaskFailedAsync(string error, CancellationToken ct) =>
        AppendAsync(EventTypes.TaskFailed, new() { ["error"] = error }, ct);

    /// <summary>The decision the task goes on with; <c>decided_by</c> and <c>comment</c> added (the comment only when the person wrote one).</summary>
    public Task TaskContinuedAsync(Approval approval, CancellationToken ct)
    {
        var payload = new JsonObject
        {
            ["approval_id"] = approval.ApprovalId,
            ["decision"] = WireName.Of(approval.Decision!.Value),
            ["decided_by"] = approval.DecidedBy,
        };
        if (approval.Comment is not null)
        {
            payload["comment"] = approval.Comment;
        }

        return AppendAsync(EventTypes.TaskContinued, payload, ct);
    }

    /// <summary>An allowed call a person changed: the args the model proposed and the ones that run.</summary>
    public Task ApprovalEditedAsync(Approval approval, CancellationToken ct) =>
        AppendAsync(EventTypes.ApprovalEdited, new()
        {
            ["approval_id"] = approval.ApprovalId,
            ["index"] = approval.Index,
            ["tool"] = approval.Action.Tool,
            ["proposed"] = approval.Action.Args.DeepClone(),
            ["approved"] = approval.EditedArgs!.DeepClone(),
            ["decided_by"] = approval.DecidedBy,
        }, ct);

    public Task TaskResumedAsync(int observations, CancellationToken ct) =>
        AppendAsync(EventTypes.TaskResumed, new() { ["reason"] = "An earlier run of this task stopped before it finished.", ["observations"] = observations }, ct);

    public Task ApprovalDecisionRejectedAsync(string approvalId, ApprovalDecision decision, string decidedBy, string reason, CancellationToken ct) =>
        AppendAsync(EventTypes.ApprovalDecisionRejected, new()
        {
            ["approval_id"] = approvalId,
            ["decision"] = WireName.Of(decision),
            ["decided_by"] = decidedBy,
            ["reason"] = reason,
        }, ct);

    public Task TaskCancelRequestedAsync(CancelRequest request, CancellationToken ct) =>
        AppendAsync(EventTypes.TaskCancelRequested, new() { ["by"] = request.By, ["reason"] = request.Reason }, ct);

    public Task TaskCancelledAsync(CancelRequest request, CancellationToken ct) =>
        AppendAsync(EventTypes.TaskCancelled, new() { ["by"] = request.By, ["reason"] = request.Reason }, ct);

    public Task TaskRetriedAsync(AgentTask retry, string by, CancellationToken ct) =>
        AppendAsync(EventTypes.TaskRetried, new() { ["new_task_id"] = retry.TaskId, ["new_job_id"] = retry.JobId, ["by"] = by }, ct);

    public Task ApprovalExpiredAsync(Approval approval, TimeSpan timeout, CancellationToken ct) =>
        AppendAsync(EventTypes.ApprovalExpired, new()
        {
            ["approval_id"] = approval.ApprovalId,
            ["tool"] = approval.Action.Tool,
            ["requested_at"] = approval.CreatedAt,
            ["timeout_seconds"] = timeout.TotalSeconds,
        }, ct);

    public void MemoryPolicyDecision(JsonObject decision, CancellationToken ct) =>
        Enqueue(EventTypes.MemoryPolicyDecision, decision, ct);

    public void MemoryStored(StoredMemory stored, CancellationToken ct) =>
        Enqueue(EventTypes.MemoryStored, new()
        {
            ["summary"] = stored.Memory.Text,
            ["scope"] = stored.Memory.Scope,
            ["memory_id"] = stored.Memory.MemoryId,
            ["merged"] = stored.Merged,
            ["similarity"] = stored.Similarity,
        }, ct);

    private static NewEvent RecalledEvent(Recalled recalled) =>
        Event(EventTypes.MemoryRecalled, new()
        {
            ["memories"] = new JsonArray([.. recalled.Memories.Select(m => new JsonObject { ["memory_id"] = m.Item.MemoryId, ["scope"] = m.Item.Scope, ["score"] = Math.Round(m.Score, 4) })]),
            ["lessons"] = new JsonArray([.. recalled.Lessons.Select(l => new JsonObject { ["record_id"] = l.Item.RecordId, ["score"] = Math.Round(l.Score, 4) })]),
            ["fallback"] = recalled.Fallback,
        });

    public void EmbeddingFailed(string kind, string id, string error, CancellationToken ct) =>
        Enqueue(EventTypes.EmbeddingFailed, new() { ["kind"] = kind, ["id"] = id, ["error"] = error }, ct);

    public void MemoryPolicyFailed(string error, CancellationToken ct) =>
        Enqueue(EventTypes.MemoryPolicyFailed, new() { ["error"] = error }, ct);

    public void ReflectionCompleted(ExperienceRecord record, CancellationToken ct) =>
        Enqueue(EventTypes.ReflectionCompleted, new()
        {
            ["record_id"] = record.RecordId,
            ["summary"] = Clip(record.Summary),
            ["reusable_lesson"] = string.IsNullOrEmpty(record.ReusableLesson) ? null : Clip(record.ReusableLesson),
        }, ct);

    public void ReflectionFailed(string error, CancellationToken ct) =>
        Enqueue(EventTypes.ReflectionFailed, new() { ["error"] = error }, ct);

    public Task ToolIterationLimitReachedAsync(int maxToolIterations, CancellationToken ct) =>
        AppendAsync(EventTypes.ToolIterationLimitReached, new() { ["max_tool_iterations"] = maxToolIterations }, ct);

    /// <summary>Returns once every event of the run so far is stored; throws the failure of a write that lost them.</summary>
    public Task WrittenAsync() => writer.WrittenAsync();

    public async Task<IReadOnlyList<TaskEvent>> ReadAllAsync(CancellationToken ct)
    {
        await writer.WrittenAsync();
        var events = new List<TaskEvent>();
        await foreach (var entry in log.ReadAsync(taskId, 0, ct))
        {
            events.Add(entry);
        }

        return events;
    }

    private Task AppendAsync(string eventType, JsonObject payload, CancellationToken ct) => StoreAsync([Event(eventType, payload)], ct);

    /// <summary>Queues <paramref name="entries"/> behind the run's other events and returns once all of them are stored.</summary>
    private Task StoreAsync(IReadOnlyList<NewEvent> entries, CancellationToken ct)
    {
        writer.Enqueue(entries, ct);
        return writer.WrittenAsync();
    }

    // Serialized now: the run may change the objects a payload was made of while its event waits to be written.
    private void Enqueue(string eventType, JsonObject payload, CancellationToken ct) => writer.Enqueue(Event(eventType, payload), ct);

    private static NewEvent Created(string message, string? workspace, bool debug) =>
        Event(EventTypes.TaskCreated, new() { ["message"] = message, ["workspace"] = workspace, ["debug"] = debug });

    private static NewEvent Event(string eventType, JsonObject payload) => new(eventType, JsonSerializer.SerializeToElement(payload));

    private static bool Flag(JsonObject metadata, string key) =>
        metadata[key] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    // The seed keeps the first 200 characters of the reflection in its event.
    private static string Clip(string text) => text.Length <= 200 ? text : text[..200];
}
