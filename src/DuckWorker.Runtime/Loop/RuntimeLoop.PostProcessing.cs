using DuckWorker.Runtime.Diagnostics;

namespace DuckWorker.Runtime.Loop;

public sealed partial class RuntimeLoop
{
    /// <summary>
    /// After the answer: the memory policy, then (when the job asked for it) reflection. Both are best effort:
    /// a failure is an event, never a failed task, since the task already completed.
    /// </summary>
    private async Task PostProcessAsync(TaskRun run, string finalResponse, CancellationToken cancellationToken)
    {
        await RunMemoryPolicyAsync(run, finalResponse, cancellationToken);
        if (run.Task.Reflect)
        {
            await RunReflectionAsync(run, cancellationToken);
        }
    }

    private async Task RunMemoryPolicyAsync(TaskRun run, string finalResponse, CancellationToken cancellationToken)
    {
        try
        {
            var decision = await memoryPolicy.ClassifyAsync(run.Task, finalResponse, cancellationToken);
            await run.Journal.MemoryPolicyDecisionAsync(decision.ToJson(), cancellationToken);
            if (decision.ShouldStore)
            {
                var stored = await memoryPolicy.StoreAsync(run.Task, MemoryWorkspace(run.Task), decision, cancellationToken);
                if (stored.EmbeddingError is { } error)
                {
                    await run.Journal.EmbeddingFailedAsync("memory", stored.Memory.MemoryId, error, cancellationToken);
                }

                await run.Journal.MemoryStoredAsync(stored, cancellationToken);
            }
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            logger.MemoryPolicyFailed(run.Task.TaskId, ex.Message);
            await run.Journal.MemoryPolicyFailedAsync(ex.Message, cancellationToken);
        }
    }

    private async Task RunReflectionAsync(TaskRun run, CancellationToken cancellationToken)
    {
        try
        {
            var transcript = await run.Journal.ReadAllAsync(cancellationToken);
            var (record, embeddingError) = await reflection.ReflectAsync(run.Task, transcript, cancellationToken);
            if (embeddingError is not null)
            {
                await run.Journal.EmbeddingFailedAsync("lesson", record.RecordId, embeddingError, cancellationToken);
            }

            await run.Journal.ReflectionCompletedAsync(record, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            logger.ReflectionFailed(run.Task.TaskId, ex.Message);
            await run.Journal.ReflectionFailedAsync(ex.Message, cancellationToken);
        }
    }
}
