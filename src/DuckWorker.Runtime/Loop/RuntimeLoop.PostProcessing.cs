using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Memory;

namespace DuckWorker.Runtime.Loop;

public sealed partial class RuntimeLoop
{
    /// <summary>
    /// After the answer: the memory policy and (when the job asked for it) reflection. They are independent, so
    /// they run at the same time and the job waits for the slower one only. Their events (model calls included)
    /// are written once both are done, all of the memory policy's first, then reflection's, each in the order it
    /// made them: the log's order does not depend on which model answered first. Both are best effort: a failure
    /// is an event, never a failed task (the task already completed), and never costs the other its events.
    /// </summary>
    private async Task PostProcessAsync(TaskRun run, Task<MemoryAnswer> memoryAnswer, CancellationToken cancellationToken)
    {
        var memory = KeepMemoryAsync(run, memoryAnswer, cancellationToken);
        var reflected = run.Task.Reflect ? RunReflectionAsync(run, cancellationToken) : Task.FromResult(new PendingEvents());
        foreach (var pending in await Task.WhenAll(memory, reflected))
        {
            pending.Write(cancellationToken);
        }
    }

    /// <summary>
    /// The memory model's decision on the answer, with the events of asking for it; a failed question is a
    /// <c>memory_policy_failed</c> event and no decision. Throws only when the run is stopped.
    /// </summary>
    private async Task<MemoryAnswer> AskMemoryPolicyAsync(TaskRun run, string finalResponse, CancellationToken cancellationToken)
    {
        var pending = new PendingEvents();
        using var calls = RecordCallsTo(run, pending);
        try
        {
            var decision = await memoryPolicy.ClassifyAsync(run.Task, finalResponse, cancellationToken);
            pending.Add(ct => run.Journal.MemoryPolicyDecision(decision.ToJson(), ct));
            return new MemoryAnswer(decision, pending);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return new MemoryAnswer(null, MemoryPolicyFailed(run, pending, ex));
        }
    }

    /// <summary>Keeps what the memory policy decided to keep, once the task has completed.</summary>
    private async Task<PendingEvents> KeepMemoryAsync(TaskRun run, Task<MemoryAnswer> memoryAnswer, CancellationToken cancellationToken)
    {
        var (decision, pending) = await memoryAnswer;
        if (decision is not { ShouldStore: true })
        {
            return pending;
        }

        using var calls = RecordCallsTo(run, pending);
        try
        {
            var stored = await memoryPolicy.StoreAsync(run.Task, MemoryWorkspace(run.Task), decision, cancellationToken);
            if (stored.EmbeddingError is { } error)
            {
                pending.Add(ct => run.Journal.EmbeddingFailed("memory", stored.Memory.MemoryId, error, ct));
            }

            pending.Add(ct => run.Journal.MemoryStored(stored, ct));
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            MemoryPolicyFailed(run, pending, ex);
        }

        return pending;
    }

    private PendingEvents MemoryPolicyFailed(TaskRun run, PendingEvents pending, Exception ex)
    {
        logger.MemoryPolicyFailed(run.Task.TaskId, ex.Message);
        pending.Add(ct => run.Journal.MemoryPolicyFailed(ex.Message, ct));
        return pending;
    }

    /// <summary>The critic reviews the task's log as it stands at its answer (without the memory policy's events).</summary>
    private async Task<PendingEvents> RunReflectionAsync(TaskRun run, CancellationToken cancellationToken)
    {
        var pending = new PendingEvents();
        using var calls = RecordCallsTo(run, pending);
        try
        {
            var transcript = await run.Journal.ReadAllAsync(cancellationToken);
            var (record, embeddingError) = await reflection.ReflectAsync(run.Task, transcript, cancellationToken);
            if (embeddingError is not null)
            {
                pending.Add(ct => run.Journal.EmbeddingFailed("lesson", record.RecordId, embeddingError, ct));
            }

            pending.Add(ct => run.Journal.ReflectionCompleted(record, ct));
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            logger.ReflectionFailed(run.Task.TaskId, ex.Message);
            pending.Add(ct => run.Journal.ReflectionFailed(ex.Message, ct));
        }

        return pending;
    }

    /// <summary>The model calls of this async flow (one of the two steps) wait with its other events.</summary>
    private IDisposable RecordCallsTo(TaskRun run, PendingEvents pending) =>
        recorder.RecordTo((call, _) =>
        {
            pending.Add(ct => run.Journal.ModelCallFinished(call, ct));
            return Task.CompletedTask;
        });

    /// <summary>What the memory model decided (none when asking failed), and the events of asking, not yet written.</summary>
    private sealed record MemoryAnswer(MemoryDecision? Decision, PendingEvents Pending);
}
