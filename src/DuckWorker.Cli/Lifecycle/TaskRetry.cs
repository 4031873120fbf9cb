using DuckWorker.Cli.Broker;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.Lifecycle;

/// <summary>
/// Running a failed task again, as <c>duck tasks retry</c> and the console's retry button do it: a new task of the
/// same job (job id <c>&lt;jobId&gt;#retry-N</c>), its job put into the jobs queue. Anything else is refused with a
/// <see cref="CliException"/> giving the reason.
/// </summary>
internal static class TaskRetry
{
    /// <summary>Records the new task and submits its job; returns the new task.</summary>
    /// <param name="reachBroker">
    /// Gives the broker, called before anything changes so that a broker out of reach records no new task. What
    /// it returns stays the caller's to dispose.
    /// </param>
    public static async Task<AgentTask> RetryAsync(
        RuntimeLoop loop,
        Func<CancellationToken, Task<CliBroker>> reachBroker,
        AgentTask task,
        string by,
        CancellationToken cancellationToken)
    {
        if (task.Status != AgentTaskStatus.Failed)
        {
            throw new CliException($"Task {task.TaskId} is {WireName.Of(task.Status)}; only a failed task runs again.");
        }

        var broker = await reachBroker(cancellationToken);
        var (retry, refusal) = await loop.RetryAsync(task, by, cancellationToken);
        if (retry is null)
        {
            throw new CliException(refusal);
        }

        var job = new ChatJobV1(retry.JobId, retry.Message)
        {
            Workspace = retry.Workspace,
            Debug = retry.Debug,
            Reasoning = retry.Reasoning is { } mode ? WireName.Of(mode) : null,
            Reflect = retry.Reflect,
        };
        await broker.SubmitAsync(MessageTypes.Chat, job, retry.JobId, retry.ReplyTo, cancellationToken);
        return retry;
    }
}
