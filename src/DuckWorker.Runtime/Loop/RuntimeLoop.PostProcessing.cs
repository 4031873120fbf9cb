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
                await memoryPolicy.StoreAsync(run.Task, decision, cancellationToken);
                await run.Journal.MemoryStoredAsync(decision.Summary, decision.Scope, cancellationToken);
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
            var record = await reflection.ReflectAsync(run.Task, transcript, cancellationToken);
            await run.Journal.ReflectionCompletedAsync(record, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            logger.ReflectionFailed(run.Task.TaskId, ex.Message);
            await run.Journal.ReflectionFailedAsync(ex.Message, cancellationToken);
        }
    }
}
