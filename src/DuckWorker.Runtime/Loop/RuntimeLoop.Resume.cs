using System.Text.Json.Nodes;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Loop;

public sealed partial class RuntimeLoop
{
    private const string Interrupted = "The worker stopped while this call was running; it was not run again.";

    /// <summary>
    /// Goes on with a task whose earlier run stopped (the worker died, lost its lease, or a model was
    /// unreachable): what that run observed is rebuilt from the log and shown to the models, and no tool call
    /// of it is repeated.
    /// </summary>
    private async Task<ChatResult> ResumeAsync(TaskRun run, IReadOnlyList<TaskEvent> history, CancellationToken cancellationToken)
    {
        if (history[^1].EventType == EventTypes.TaskWaitingForApproval)
        {
            // The run stopped between recording its pause and moving the task; only the move is left.
            return await WaitAsync(run, cancellationToken);
        }

        var observations = Observed(history);
        await run.Journal.TaskResumedAsync(observations.Count, cancellationToken);
        logger.TaskResumed(run.Task.TaskId, observations.Count);
        return await DriveAsync(
            run,
            async () =>
            {
                if (observations.Any(o => o.RequiresApproval))
                {
                    return observations;
                }

                if (observations.Count > 0)
                {
                    run.Observe(observations);
                }

                return await RunActionLoopAsync(run, observations, cancellationToken);
            },
            cancellationToken);
    }

    /// <summary>The observations an interrupted run left in the log, by index: results, pending approvals, and calls cut off mid-run.</summary>
    private static List<ToolObservation> Observed(IReadOnlyList<TaskEvent> history)
    {
        var byIndex = new SortedDictionary<int, ToolObservation>();
        foreach (var entry in history)
        {
            if (entry.EventType is not (EventTypes.ToolCallStarted or EventTypes.ToolApprovalRequested or EventTypes.ToolCallFinished)
                || JsonNode.Parse(entry.Payload.GetRawText()) is not JsonObject payload)
            {
                continue;
            }

            var index = payload["index"]!.GetValue<int>();
            var tool = payload["tool"]?.GetValue<string>() ?? "";
            byIndex[index] = entry.EventType switch
            {
                EventTypes.ToolCallStarted => new ToolObservation(index, tool)
                {
                    Args = payload["args"]?.DeepClone() as JsonObject,
                    Result = ToolResult.Failure(Interrupted),
                },
                EventTypes.ToolApprovalRequested => (byIndex.TryGetValue(index, out var asked) ? asked : new ToolObservation(index, tool)) with
                {
                    Reason = payload["action"]?["reason"]?.GetValue<string>(),
                    RequiresApproval = true,
                    ApprovalId = payload["approval_id"]?.GetValue<string>(),
                    Result = ToolResult.Failure(payload["reason"]?.GetValue<string>() ?? "Needs approval."),
                },
                _ => (byIndex.TryGetValue(index, out var started) ? started : new ToolObservation(index, tool)) with
                {
                    RequiresApproval = false,
                    ApprovalId = null,
                    Result = ToolResult.FromJson(payload["result"]!.AsObject()),
                },
            };
        }

        return [.. byIndex.Values];
    }
}
