using System.Threading.Channels;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq.Publishing;

/// <summary>
/// Publishes the <c>task.event.*</c> announcements in the order they were appended, off the task's path, and
/// the messages that must come after them (a task's outcome, its approval request: <see cref="PublishBehindAsync"/>).
/// Every publish is started here, one after the other, on the publisher's one channel, so the broker takes them
/// in that order: a client watching a task sees its whole log before its outcome, while the outcome waits for
/// its own confirm only. Up to <see cref="InFlight"/> confirms are awaited at once. An announcement is a live view:
/// when the broker cannot keep up, those beyond <see cref="Capacity"/> are dropped, with a log line; a message
/// published behind them never is.
/// </summary>
public sealed class EventAnnouncements(RabbitMqPublisher publisher, IOptions<RabbitMqOptions> options, ILogger<EventAnnouncements> logger) : BackgroundService
{
    public const int Capacity = 10_000;

    /// <summary>
    /// The most publishes awaiting their confirms at once. Well below the half of the client's 128 outstanding
    /// confirms past which it delays publishes, which could reorder them.
    /// </summary>
    private const int InFlight = 32;

    private static readonly TimeSpan AnnounceTimeout = TimeSpan.FromSeconds(5);

    private readonly Channel<Func<CancellationToken, Task>> queue =
        Channel.CreateBounded<Func<CancellationToken, Task>>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly SemaphoreSlim window = new(InFlight, InFlight);

    public void Enqueue(TaskEventV1 message, string? jobId)
    {
        if (!queue.Writer.TryWrite(stoppingToken => AnnounceAsync(message, jobId, stoppingToken)))
        {
            logger.EventNotAnnounced(message.TaskId, message.Seq, message.EventType, $"more than {Capacity} announcements wait for the broker");
        }
    }

    /// <summary>
    /// Publishes with <paramref name="publish"/> after every announcement enqueued so far, and returns once the broker
    /// has confirmed it; throws what the publish threw, or a <see cref="TimeoutException"/> when that took longer
    /// than <c>RabbitMq:PublishTimeout</c> in all (it may still go out later). When announcements are not being
    /// published (the worker stops), it publishes at once.
    /// </summary>
    public async Task PublishBehindAsync(Func<CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        if (ExecuteTask is not { IsCompleted: false })
        {
            await publish(cancellationToken);
            return;
        }

        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The wait behind the announcements counts against the publish's own limit: a job's outcome waits no longer.
        var timeout = options.Value.PublishTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await queue.Writer.WriteAsync(
                async _ =>
                {
                    try
                    {
                        await publish(cancellationToken);
                        sent.TrySetResult();
                    }
                    catch (Exception ex)
                    {
                        sent.TrySetException(ex);
                    }
                },
                limit.Token);
            await sent.Task.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm the message within RabbitMq:PublishTimeout ({timeout}).");
        }
    }

    public override void Dispose()
    {
        window.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var send in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await window.WaitAsync(stoppingToken);
                if (!publisher.IsOpen)
                {
                    await OpenChannelAsync(stoppingToken);
                }

                // Started now, in the queue's order; its confirm is awaited beside the publishes after it.
                _ = SendAsync(send, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        // What never went out is sent on the way out (an announcement gives up at once, a message behind them is
        // published), so that nobody is left waiting; then the confirms in flight are waited for.
        while (queue.Reader.TryRead(out var unsent))
        {
            await window.WaitAsync(CancellationToken.None);
            await SendAsync(unsent, stoppingToken);
        }

        for (var slot = 0; slot < InFlight; slot++)
        {
            await window.WaitAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Opens the publisher's channel before the next publish starts (the worker's first, or the first after the
    /// broker closed the channel): publishes that open it themselves could overtake one another. When it cannot
    /// be opened in time, the publish starts anyway, and tries and reports on its own terms.
    /// </summary>
    private async Task OpenChannelAsync(CancellationToken stoppingToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        limit.CancelAfter(AnnounceTimeout);
        try
        {
            await publisher.OpenAsync(limit.Token);
        }
        catch (Exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The publish that follows meets the same failure and reports it.
        }
    }

    private async Task SendAsync(Func<CancellationToken, Task> send, CancellationToken stoppingToken)
    {
        try
        {
            await send(stoppingToken);
        }
        finally
        {
            window.Release();
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
        catch (Exception ex)
        {
            // The stored event is the record; its announcement is a live view that may miss a moment.
            if (!stoppingToken.IsCancellationRequested)
            {
                logger.EventNotAnnounced(message.TaskId, message.Seq, message.EventType, ex.Message);
            }
        }
    }
}
