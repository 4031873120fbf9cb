using System.Threading.Channels;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// Publishes the <c>task.event.*</c> announcements in the order they were appended, off the task's path: a
/// task does not wait for the broker's confirm of each of its events, and up to <see cref="InFlight"/> of them
/// are published before their confirms are awaited together. An outcome is announced only after the
/// events before it (<see cref="FlushAsync"/>), so that a client watching a task sees its whole log first.
/// When the broker cannot keep up, announcements beyond <see cref="Capacity"/> are dropped, with a log line.
/// </summary>
public sealed class EventAnnouncements(RabbitMqPublisher publisher, IOptions<RabbitMqOptions> options, ILogger<EventAnnouncements> logger) : BackgroundService
{
    public const int Capacity = 10_000;

    /// <summary>
    /// The most announcements awaiting their confirms at once. Well below the half of the client's 128 outstanding
    /// confirms past which it delays publishes, which could reorder them.
    /// </summary>
    private const int InFlight = 32;

    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<(TaskEventV1 Message, string? JobId)> queue =
        Channel.CreateBounded<(TaskEventV1, string?)>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private long enqueued;
    private long settled;
    private TaskCompletionSource progress = NewSignal();

    public void Enqueue(TaskEventV1 message, string? jobId)
    {
        if (queue.Writer.TryWrite((message, jobId)))
        {
            Interlocked.Increment(ref enqueued);
        }
        else
        {
            logger.EventNotAnnounced(message.TaskId, message.Seq, message.EventType, $"more than {Capacity} announcements wait for the broker");
        }
    }

    /// <summary>Waits until every announcement enqueued so far is published (or given up on), for at most <paramref name="limit"/>.</summary>
    public async Task FlushAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref enqueued);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        while (true)
        {
            var signal = Volatile.Read(ref progress);
            if (Interlocked.Read(ref settled) >= target)
            {
                return;
            }

            try
            {
                await signal.Task.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(TaskEventV1 Message, string? JobId)>(InFlight);
        while (await queue.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < InFlight && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            // Started one after the other on the publisher's one channel, they reach the broker in that order;
            // their confirms are awaited together rather than one round trip each.
            await Task.WhenAll(batch.Select(next => AnnounceAsync(next.Message, next.JobId, stoppingToken)));
            Interlocked.Add(ref settled, batch.Count);
            Interlocked.Exchange(ref progress, NewSignal()).TrySetResult();
            batch.Clear();
        }
    }

    private async Task AnnounceAsync(TaskEventV1 message, string? jobId, CancellationToken stoppingToken)
    {
        try
        {
            await publisher.PublishAsync(
                options.Value.EventsExchange,
                RoutingKeys.TaskEventPrefix + message.EventType,
                RabbitMqPublisher.NewProperties(MessageTypes.TaskEvent, jobId),
                ContractJson.Serialize(message),
                mandatory: false,
                AnnounceTimeout,
                stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The stored event is the record; its announcement is a live view that may miss a moment.
            logger.EventNotAnnounced(message.TaskId, message.Seq, message.EventType, ex.Message);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
