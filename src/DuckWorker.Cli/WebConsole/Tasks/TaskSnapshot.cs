using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>A task as the store has it now: the task, its whole event log, its pending approval and the memories it recalled.</summary>
internal sealed record TaskSnapshot(AgentTask Task, IReadOnlyList<TaskEvent> Events, Approval? PendingApproval, IReadOnlyList<RecalledMemory> Memories)
{
    public long LastSeq => Events.Count == 0 ? 0 : Events[^1].Seq;

    /// <summary>The task alone, by its id or its job's id; null when there is none.</summary>
    public static async Task<AgentTask?> FindAsync(TaskReaders store, string id, CancellationToken cancellationToken) =>
        await store.Tasks.GetAsync(id, cancellationToken) ?? await store.Tasks.FindByJobIdAsync(id, cancellationToken);

    /// <summary>The task by its id or its job's id; null when there is none.</summary>
    public static async Task<TaskSnapshot?> LoadAsync(TaskReaders store, string id, CancellationToken cancellationToken)
    {
        if (await FindAsync(store, id, cancellationToken) is not { } task)
        {
            return null;
        }

        var events = new List<TaskEvent>();
        await foreach (var entry in store.Events.ReadAsync(task.TaskId, 0, cancellationToken))
        {
            events.Add(entry);
        }

        var pending = task.Status == AgentTaskStatus.WaitingForApproval ? await store.Approvals.FindPendingAsync(task.TaskId, cancellationToken) : null;
        var memories = new List<RecalledMemory>();
        foreach (var recalled in events.Where(e => e.EventType == EventTypes.MemoryRecalled))
        {
            if (!recalled.Payload.TryGetProperty("memories", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var memory in list.EnumerateArray())
            {
                if (memory.TryGetProperty("memory_id", out var memoryId) && memoryId.GetString() is { } key)
                {
                    var score = memory.TryGetProperty("score", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : (double?)null;
                    memories.Add(new RecalledMemory(key, score, await store.Memories.GetAsync(key, cancellationToken)));
                }
            }
        }

        return new TaskSnapshot(task, events, pending, memories);
    }
}
