using DuckWorker.Cli.Broker;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.Lifecycle;

/// <summary>
/// Stopping a task, as <c>duck tasks cancel</c> and the console's cancel button do it: a running one stops at its
/// next step, one waiting for approval ends at once (its end announced from here), a job not picked up yet ends
/// without running. A finished task is refused with a <see cref="CliException"/> naming its outcome.
/// </summary>
internal static class TaskCancellation
{
    /// <summary>Cancels the task (or queued job) <paramref name="key"/>; returns what became of it, in a sentence.</summary>
    /// <param name="reachBroker">
    /// Gives the broker when the outcome must be announced from here; called before anything changes, so that a
    /// broker out of reach leaves the task as it was. What it returns stays the caller's to dispose.
    /// </param>
    public static async Task<string> CancelAsync(
        ITaskStore tasks,
        RuntimeLoop loop,
        Func<CancellationToken, Task<CliBroker>> reachBroker,
        string key,
        string by,
        string? reason,
        CancellationToken cancellationToken)
    {
        var task = await tasks.GetAsync(key, cancellationToken) ?? await tasks.FindByJobIdAsync(key, cancellationToken);
        if (task is { Status: AgentTaskStatus.Completed or AgentTaskStatus.Failed })
        {
            throw Finished(task);
        }

        // A waiting task ends here, and its end is announced from here.
        var broker = task?.Status == AgentTaskStatus.WaitingForApproval ? await reachBroker(cancellationToken) : null;
        var asked = task is null
            ? await loop.CancelQueuedJobAsync(key, by, reason, cancellationToken)
            : await loop.RequestCancelAsync(task, by, reason, cancellationToken);
        if (asked is null)
        {
            throw Finished((await tasks.GetAsync(task!.TaskId, cancellationToken))!);
        }

        if (task is null && asked.Status == AgentTaskStatus.Failed)
        {
            return $"Job {key} was not picked up yet: it is recorded as task {asked.TaskId}, failed: {asked.Error}. The worker that picks it up announces that, without running it.";
        }

        if (asked.Status == AgentTaskStatus.Failed)
        {
            broker ??= await reachBroker(cancellationToken);
            await broker.AnnounceFinishedAsync(asked, cancellationToken);
            return $"Task {asked.TaskId} ended: {asked.Error}.";
        }

        return $"Task {asked.TaskId} is {WireName.Of(asked.Status)}: {asked.CancelRequest!.Describe()}; it stops at its next step, and its end is announced.";
    }

    private static CliException Finished(AgentTask task) =>
        new($"Task {task.TaskId} has already finished ({WireName.Of(task.Status)}{(task.Error is null ? "" : ": " + task.Error)}); there is nothing to cancel.");
}
