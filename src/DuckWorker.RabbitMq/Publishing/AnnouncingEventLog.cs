using System.Collections.Concurrent;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// The store's event log, announcing each appended event as <c>task.event.&lt;type&gt;</c> so that a client
/// can watch a task live (every event, or those <c>RabbitMq:AnnounceEvents</c> keeps). The stored event is the record: announcements go out behind the task
/// (<see cref="EventAnnouncements"/>), and none is made while the worker has no connection to the broker.
/// </summary>
public sealed class AnnouncingEventLog(
    IEventLog inner,
    ITaskStore tasks,
    RabbitMqConnection connection,
    EventAnnouncements announcements,
    IOptions<RabbitMqOptions> options,
    ILogger<AnnouncingEventLog> logger) : IEventLog
{
    /// <summary>Enough tasks in flight for any worker; beyond it the cache starts over rather than grow.</summary>
    private const int MaxCachedJobIds = 10_000;

    // The correlation id of every message is the job id, which an event does not carry; one read per task finds it.
    private readonly ConcurrentDictionary<string, string> jobIds = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<TaskEvent>> AppendAsync(string taskId, IReadOnlyList<NewEvent> events, CancellationToken cancellationToken)
    {
        var appended = await inner.AppendAsync(taskId, events, cancellationToken);
        foreach (var entry in appended.Where(e => options.Value.AnnouncedEvents.IsAnnounced(e.EventType)))
        {
            if (!connection.IsConnected)
            {
                // No broker now (not yet connected, or recovering): the task does not wait for one.
                logger.EventNotAnnounced(taskId, entry.Seq, entry.EventType, "no connection to the broker");
                continue;
            }

            announcements.Enqueue(new TaskEventV1(entry.TaskId, entry.Seq, entry.EventType, entry.Payload, entry.At), await JobIdAsync(taskId, cancellationToken));
        }

        return appended;
    }

    private async Task<string?> JobIdAsync(string taskId, CancellationToken cancellationToken)
    {
        if (jobIds.TryGetValue(taskId, out var jobId))
        {
            return jobId;
        }

        if (await tasks.GetAsync(taskId, cancellationToken) is not { } task)
        {
            return null;
        }

        if (jobIds.Count >= MaxCachedJobIds)
        {
            jobIds.Clear();
        }

        return jobIds[taskId] = task.JobId;
    }

    public IAsyncEnumerable<TaskEvent> ReadAsync(string taskId, long afterSeq, CancellationToken cancellationToken) =>
        inner.ReadAsync(taskId, afterSeq, cancellationToken);
}
