using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Loop;

/// <summary>What one action of a directive led to: a result, a pending approval, a decision, or a malformed entry.</summary>
internal sealed record ToolObservation(int Index, string Tool)
{
    public string? Reason { get; init; }

    public JsonObject? Args { get; init; }

    public ToolResult? Result { get; init; }

    public bool RequiresApproval { get; init; }

    public string? ApprovalId { get; init; }

    public ApprovalDecision? Decision { get; init; }

    /// <summary>What the person said when allowing the call (a denial's comment is in its result's error).</summary>
    public string? Comment { get; init; }

    /// <summary>The person changed the call's args before allowing it; <see cref="Args"/> are theirs.</summary>
    public bool EditedByUser { get; init; }

    /// <summary>Set only for a directive entry that was not an action object.</summary>
    public string? Error { get; init; }

    public static ToolObservation Malformed(int index, string error) => new(index, "") { Error = error };

    public static ToolObservation Finished(int index, ToolAction action, ToolResult result) =>
        new(index, action.Tool) { Reason = action.Reason, Args = action.Args, Result = result };

    /// <summary>The seed's observation object (as logged in <c>task_waiting_for_approval</c>), plus the call's args.</summary>
    public JsonObject ToJson()
    {
        if (Error is not null)
        {
            return new JsonObject { ["index"] = Index, ["ok"] = false, ["error"] = Error };
        }

        var json = new JsonObject
        {
            ["index"] = Index,
            ["tool"] = Tool,
            ["args"] = Args?.DeepClone(),
            ["reason"] = Reason,
        };
        if (RequiresApproval)
        {
            json["requires_approval"] = true;
            json["approval_id"] = ApprovalId;
        }

        if (Decision is { } decision)
        {
            json["decision"] = WireName.Of(decision);
        }

        if (Comment is not null)
        {
            json["comment"] = Comment;
        }

        if (EditedByUser)
        {
            json["edited_by_user"] = true;
        }

        json["result"] = Result?.ToJson();
        return json;
    }

    public static ToolObservation FromJson(JsonObject json)
    {
        var index = json["index"]?.GetValue<int>() ?? 0;
        if (json["error"] is JsonValue error && json["tool"] is null)
        {
            return Malformed(index, error.GetValue<string>());
        }

        return new ToolObservation(index, json["tool"]?.GetValue<string>() ?? "")
        {
            Reason = json["reason"]?.GetValue<string>(),
            Args = json["args"]?.DeepClone() as JsonObject,
            Result = json["result"] is JsonObject result ? ToolResult.FromJson(result) : null,
            RequiresApproval = json["requires_approval"]?.GetValue<bool>() ?? false,
            ApprovalId = json["approval_id"]?.GetValue<string>(),
            Decision = WireName.TryParse<ApprovalDecision>(json["decision"]?.GetValue<string>(), out var decision) ? decision : null,
            Comment = json["comment"]?.GetValue<string>(),
            EditedByUser = json["edited_by_user"]?.GetValue<bool>() ?? false,
        };
    }

    /// <summary>
    /// The compact form the models see: only what the next step needs, without nulls and audit metadata, so
    /// that prompts grow by the size of the observation and not of its bookkeeping.
    /// </summary>
    public JsonObject ToPromptJson()
    {
        var json = new JsonObject { ["index"] = Index };
        if (Error is not null)
        {
            json["ok"] = false;
            json["error"] = Error;
            return json;
        }

        json["tool"] = Tool;
        if (Args is { Count: > 0 })
        {
            json["args"] = Args.DeepClone();
        }

        if (RequiresApproval)
        {
            json["status"] = "waiting_for_approval";
            return json;
        }

        if (Decision is ApprovalDecision.Deny)
        {
            json["status"] = "denied_by_user";
        }

        if (EditedByUser)
        {
            // The args above are the person's, not the ones the action model proposed.
            json["status"] = "edited_by_user";
        }

        if (Comment is not null)
        {
            json["user_comment"] = Comment;
        }

        if (Result is { Blocked: true })
        {
            // Said in words as well as in the flag, so the answer can tell the person it was refused on purpose.
            json["status"] = "blocked_by_policy";
            json[ToolMetadata.Blocked] = true;
        }

        if (Result is not null)
        {
            json["ok"] = Result.Ok;
            if (!string.IsNullOrEmpty(Result.Output))
            {
                json["output"] = Result.Output;
            }

            if (Result.Blocked)
            {
                json["error"] = $"Blocked by the command policy: {Result.Error?.TrimEnd('.', ' ')}; it did not run and cannot be approved.";
            }
            else if (!string.IsNullOrEmpty(Result.Error))
            {
                json["error"] = Result.Error;
            }

            if (Result.Metadata[ToolMetadata.ReturnCode] is JsonValue code)
            {
                json["returncode"] = code.DeepClone();
            }

            if (Result.Metadata[ToolMetadata.Truncated] is JsonValue truncated && truncated.GetValue<bool>())
            {
                json["truncated"] = true;
            }
        }

        return json;
    }
}
