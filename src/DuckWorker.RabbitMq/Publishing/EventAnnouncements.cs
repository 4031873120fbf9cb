using System.Threading.Channels;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// Publishes the <c>task.event.*</c> announcements in the order they were appended, off the task's path: a
/// task does not wait for the broker's confirm of each of its events. An outcome is announced only after the
/// events before it (<see cref="FlushAsync"/>), so that a client watching a task sees its whole log first.
/// When the broker cannot keep up, announcements beyond <see cref="Capacity"/> are dropped, with a log line.
/// </summary>
public sealed class EventAnnouncements(RabbitMqPublisher publisher, IOptions<RabbitMqOptions> options, ILogger<EventAnnouncements> logger) : BackgroundService
{
    public const int Capacity = 10_000;

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
        await foreach (var (message, jobId) in queue.Reader.ReadAllAsync(stoppingToken))
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

            Interlocked.Increment(ref settled);
            Interlocked.Exchange(ref progress, NewSignal()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
