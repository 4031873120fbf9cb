using System.Text.Json.Nodes;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Loop;

public sealed partial class RuntimeLoop
{
    private const string Interrupted =
        "The worker stopped while this call was running, so it may or may not have taken effect; it was not run again. "
        + "Check its effect before relying on it or asking for it again.";

    /// <summary>The metadata flag of the result recorded for a call whose run stopped before it finished.</summary>
    private const string InterruptedFlag = "interrupted";

    /// <summary>
    /// Goes on with a task whose earlier run stopped (the worker died, lost its lease, or a model was
    /// unreachable): what that run observed is rebuilt from the log and shown to the models, and no tool call
    /// of it is repeated. A call that was started and never finished gets its result recorded now: interrupted.
    /// </summary>
    private async Task<ChatResult> ResumeAsync(TaskRun run, IReadOnlyList<TaskEvent> history, CancellationToken cancellationToken)
    {
        if (history[^1].EventType == EventTypes.TaskWaitingForApproval)
        {
            // The run stopped between recording its pause and moving the task; only the move is left.
            return await WaitAsync(run, PendingApprovalId(history[^1]), cancellationToken);
        }

        var observations = Observed(history, out var cutOff);

        // After a model outage the run did not stop unexpectedly: model_unavailable already says why and when it goes on.
        if (history[^1].EventType != EventTypes.ModelUnavailable)
        {
            await run.Journal.TaskResumedAsync(observations.Count, cancellationToken);
            logger.TaskResumed(run.Task.TaskId, observations.Count);
        }

        foreach (var cut in cutOff)
        {
            logger.ToolCallInterrupted(cut.Tool, cut.Index, run.Task.TaskId);
            await run.Journal.ToolCallFinishedAsync(cut.Index, cut.Tool, cut.Result!, cancellationToken);
        }

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

    /// <summary>
    /// The observations an interrupted run left in the log, by index: results, pending approvals, and calls cut
    /// off mid-run (also in <paramref name="cutOff"/>: started, never finished). An approved call whose intent
    /// is recorded no longer waits for its approval: it ran, or was cut off while it ran.
    /// </summary>
    private static List<ToolObservation> Observed(IReadOnlyList<TaskEvent> history, out List<ToolObservation> cutOff)
    {
        var byIndex = new SortedDictionary<int, ToolObservation>();
        var open = new HashSet<int>();
        foreach (var entry in history)
        {
            if (entry.EventType is not (EventTypes.ToolCallStarted or EventTypes.ToolApprovalRequested or EventTypes.ToolCallFinished)
                || JsonNode.Parse(entry.Payload.GetRawText()) is not JsonObject payload)
            {
                continue;
            }

            var index = payload["index"]!.GetValue<int>();
            var tool = payload["tool"]?.GetValue<string>() ?? "";
            var earlier = byIndex.TryGetValue(index, out var seen) ? seen : new ToolObservation(index, tool);
            if (entry.EventType == EventTypes.ToolCallStarted)
            {
                open.Add(index);
            }
            else
            {
                open.Remove(index);
            }

            byIndex[index] = entry.EventType switch
            {
                EventTypes.ToolCallStarted => earlier with
                {
                    Args = payload["args"]?.DeepClone() as JsonObject,
                    RequiresApproval = false,
                    ApprovalId = null,
                    Result = ToolResult.Failure(Interrupted, new JsonObject { [InterruptedFlag] = true }),
                },
                EventTypes.ToolApprovalRequested => earlier with
                {
                    Reason = payload["action"]?["reason"]?.GetValue<string>(),
                    RequiresApproval = true,
                    ApprovalId = payload["approval_id"]?.GetValue<string>(),
                    Result = ToolResult.Failure(payload["reason"]?.GetValue<string>() ?? "Needs approval."),
                },
                _ => earlier with
                {
                    RequiresApproval = false,
                    ApprovalId = null,
                    Result = ToolResult.FromJson(payload["result"]!.AsObject()),
                },
            };
        }

        cutOff = [.. byIndex.Values.Where(o => open.Contains(o.Index))];
        return [.. byIndex.Values];
    }

    /// <summary>The approval a <c>task_waiting_for_approval</c> event waits for.</summary>
    private static string? PendingApprovalId(TaskEvent waiting) =>
        PausedWith(waiting).LastOrDefault(o => o.RequiresApproval)?.ApprovalId;
}
