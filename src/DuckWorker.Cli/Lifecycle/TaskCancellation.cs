using DuckWorker.Cli.Broker;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Cli.Lifecycle;

/// <summary>
/// Stopping a task, as <c>duck tasks cancel</c> and the console's cancel button do it: a running one stops at its
/// next step, one waiting for approval ends at once (its end announced from here), a job not picked up yet ends
/// without running. A finished task is refused with a <see cref="CliException"/> naming its outcome.
/// </summary>
internal static class TaskCancellation
{
    /// <summary>Cancels the task (or queued job) <paramref name="key"/>; returns what became of it, in a sentence.</summary>
    public static async Task<string> CancelAsync(IServiceProvider services, IConfiguration configuration, string key, string by, string? reason, CancellationToken cancellationToken)
    {
        var tasks = services.GetRequiredService<ITaskStore>();
        var loop = services.GetRequiredService<RuntimeLoop>();
        var task = await tasks.GetAsync(key, cancellationToken) ?? await tasks.FindByJobIdAsync(key, cancellationToken);
        if (task is { Status: AgentTaskStatus.Completed or AgentTaskStatus.Failed })
        {
            throw Finished(task);
        }

        // A waiting task ends here, and its end is announced from here: the broker is reached before anything
        // changes, so that a broker out of reach leaves the task as it was.
        var broker = task?.Status == AgentTaskStatus.WaitingForApproval ? await CliBroker.ConnectAsync(configuration, cancellationToken) : null;
        try
        {
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
                broker ??= await CliBroker.ConnectAsync(configuration, cancellationToken);
                await broker.AnnounceFinishedAsync(asked, cancellationToken);
                return $"Task {asked.TaskId} ended: {asked.Error}.";
            }

            return $"Task {asked.TaskId} is {WireName.Of(asked.Status)}: {asked.CancelRequest!.Describe()}; it stops at its next step, and its end is announced.";
        }
        finally
        {
            if (broker is not null)
            {
                await broker.DisposeAsync();
            }
        }
    }

    private static CliException Finished(AgentTask task) =>
        new($"Task {task.TaskId} has already finished ({WireName.Of(task.Status)}{(task.Error is null ? "" : ": " + task.Error)}); there is nothing to cancel.");
}
