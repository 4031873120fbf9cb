using System.Text.Json.Nodes;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Microsoft.Extensions.AI;

namespace DuckWorker.Runtime.Loop;

public sealed partial class RuntimeLoop
{
    private const string ActionInstructions = """
        Decide which tool calls, if any, are needed next to complete the user's task. Answer with JSON only:
        {"actions": [{"tool": "<tool name>", "args": {<arguments>}, "reason": "<why this call>"}]}
        Paths are relative to the workspace. Answer {"actions": []} when no more tool calls are needed, for
        instance when the tool observations already hold what the answer needs.
        Tools:
        """;

    /// <summary>Up to <c>Worker:MaxToolIterations</c> rounds of directive and tools; stops at an empty directive or a pending approval.</summary>
    private async Task<List<ToolObservation>> RunActionLoopAsync(TaskRun run, List<ToolObservation> observations, CancellationToken cancellationToken)
    {
        var maxIterations = options.Value.MaxToolIterations;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            await ThrowIfCancelRequestedAsync(run, cancellationToken);
            var round = await RunActionToolsAsync(run, observations.Count + 1, cancellationToken);
            if (round.Count == 0)
            {
                return observations;
            }

            observations.AddRange(round);
            if (round.Any(o => o.RequiresApproval))
            {
                return observations;
            }

            run.Observe(round);
        }

        await run.Journal.ToolIterationLimitReachedAsync(maxIterations, cancellationToken);
        return observations;
    }

    /// <summary>One round: asks the action model for a directive and runs its actions until one needs approval.</summary>
    private async Task<List<ToolObservation>> RunActionToolsAsync(TaskRun run, int startIndex, CancellationToken cancellationToken)
    {
        run.Journal.ModelCallStarted(ModelRoles.Action, cancellationToken);
        JsonObject directive;
        try
        {
            var response = await models.ChatAsync(ModelRoles.Action, run.Prompt, ActionOptions(), cancellationToken);
            if (!ModelJson.TryReadObject(response.Content, out directive, out var error))
            {
                run.Journal.ActionDirectiveFailed(error, cancellationToken);
                return [];
            }
        }
        catch (ModelCallException ex)
        {
            run.Journal.ActionDirectiveFailed(ex.Message, cancellationToken);
            return [];
        }

        run.Journal.ActionDirective(directive, cancellationToken);
        if (directive["actions"] is not JsonArray { Count: > 0 } actions)
        {
            return [];
        }

        var observations = new List<ToolObservation>();
        var maxActions = options.Value.MaxActionsPerDirective;
        var index = startIndex;
        foreach (var entry in actions.Take(maxActions))
        {
            await ThrowIfCancelRequestedAsync(run, cancellationToken);
            var observation = await RunActionAsync(run, index++, entry, cancellationToken);
            observations.Add(observation);
            if (observation.RequiresApproval)
            {
                return observations;
            }
        }

        if (actions.Count > maxActions)
        {
            observations.Add(ToolObservation.Malformed(
                index,
                $"Only the first {maxActions} actions of a directive run; the other {actions.Count - maxActions} did not run."));
        }

        return observations;
    }

    private async Task<ToolObservation> RunActionAsync(TaskRun run, int index, JsonNode? entry, CancellationToken cancellationToken)
    {
        if (!ToolAction.TryParse(entry, out var action, out var malformed))
        {
            return ToolObservation.Malformed(index, malformed);
        }

        await run.Journal.ToolCallStartedAsync(index, action, approvalId: null, cancellationToken);
        var call = tools.Prepare(action, run.ToolContext);
        var allowedForever = call.NeedsApproval
            && await approvals.IsAllowedForeverAsync(call.Context.Workspace, call.Assessment.Action, cancellationToken);
        var result = await tools.RunAsync(call, allowedForever, cancellationToken);
        await run.Journal.CommandAuditAsync(index, action, result, allowedForever, cancellationToken);
        if (result.RequiresApproval)
        {
            var approval = await approvals.CreatePendingAsync(run.Task, index, call, cancellationToken);
            await run.Journal.ToolApprovalRequestedAsync(index, action, approval.ApprovalId, result.Error, cancellationToken);
            return ToolObservation.Finished(index, action, result) with { RequiresApproval = true, ApprovalId = approval.ApprovalId };
        }

        await run.Journal.ToolCallFinishedAsync(index, action.Tool, result, cancellationToken);
        logger.ToolCallFinished(action.Tool, index, result.Ok);
        return ToolObservation.Finished(index, action, result);
    }

    /// <summary>
    /// Runs the call stored with a decided approval (with the person's edited args, when they changed them), or
    /// records its denial, with the person's comment; a blocked call still never runs. The intent of an approved
    /// call is recorded before it runs, so that a run that stops while it runs leaves a trace: the next run
    /// reports it interrupted instead of running it again or waiting for the decision again.
    /// </summary>
    private async Task<ToolObservation> RunDecidedActionAsync(TaskRun run, Approval approval, ApprovalDecision decision, CancellationToken cancellationToken)
    {
        var approved = decision != ApprovalDecision.Deny;
        var action = approved ? approval.ApprovedAction : approval.Action;
        ToolResult result;
        if (approved)
        {
            await run.Journal.ToolCallStartedAsync(approval.Index, action, approval.ApprovalId, cancellationToken);
            result = await tools.RunAsync(tools.Prepare(action, run.ToolContext), approved: true, cancellationToken);
        }
        else
        {
            // The person's words, where the models read why the call did not run: the answer can follow them.
            result = ToolResult.Failure(
                approval.Comment is { } comment ? $"denied: {comment}" : "Tool action denied by user.",
                new JsonObject { [ToolMetadata.Decision] = "deny" });
        }

        await run.Journal.CommandAuditAsync(approval.Index, action, result, approved, cancellationToken);
        await run.Journal.ToolCallFinishedAsync(approval.Index, action.Tool, result, cancellationToken);
        return ToolObservation.Finished(approval.Index, action, result) with
        {
            Decision = decision,
            Comment = approved ? approval.Comment : null,
            EditedByUser = approved && approval.EditedArgs is not null,
        };
    }

    /// <summary>
    /// The observations the task paused with, without the pending one; null when the task does not wait for
    /// <paramref name="approvalId"/> (a stale or repeated continuation).
    /// </summary>
    private static async Task<List<ToolObservation>?> WaitingObservationsAsync(TaskRun run, string approvalId, CancellationToken cancellationToken)
    {
        var waiting = (await run.Journal.ReadAllAsync(cancellationToken)).LastOrDefault(e => e.EventType == EventTypes.TaskWaitingForApproval);
        var observations = waiting is null ? [] : PausedWith(waiting);
        if (!observations.Any(o => o.RequiresApproval && o.ApprovalId == approvalId))
        {
            return null;
        }

        return [.. observations.Where(o => !o.RequiresApproval)];
    }

    /// <summary>The observations a <c>task_waiting_for_approval</c> event holds, the pending one among them.</summary>
    private static List<ToolObservation> PausedWith(TaskEvent waiting) =>
        JsonNode.Parse(waiting.Payload.GetRawText())?["observations"] is JsonArray stored
            ? [.. stored.OfType<JsonObject>().Select(ToolObservation.FromJson)]
            : [];

    private ChatOptions ActionOptions() => new()
    {
        Instructions = ActionInstructions + tools.Catalog,
        ResponseFormat = StructuredOutput.ActionDirective,
    };
}
