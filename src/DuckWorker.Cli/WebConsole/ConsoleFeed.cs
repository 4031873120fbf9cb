using DuckWorker.Cli.Broker;
using DuckWorker.Cli.WebConsole.Inbox;
using DuckWorker.Cli.WebConsole.Tasks;
using DuckWorker.RabbitMq.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Cli.WebConsole;

/// <summary>
/// The console's one queue on the worker's events (<c>duck.events</c>): a new request, a decision, a task's end
/// wake the open inboxes, and any message about a task wakes that task's open pages; both then read the store.
/// Both also read it every few seconds, so they hold without the feed, which starts again after a failure.
/// </summary>
internal sealed partial class ConsoleFeed(CliBroker broker, InboxSignal inbox, TaskSignals tasks, TimeProvider time, ILogger<ConsoleFeed> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var feed = await broker.FollowAsync(stoppingToken, RoutingKeys.ApprovalRequested, RoutingKeys.TaskEventPrefix + "*", RoutingKeys.TaskCompleted, RoutingKeys.TaskFailed);
                failing = false;
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (await feed.NextAsync(TimeSpan.FromMinutes(1), stoppingToken) is { } message)
                    {
                        inbox.Pulse();
                        if (message.Text("taskId") is { } taskId)
                        {
                            tasks.Pulse(taskId);
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The pages keep reading the store, only less promptly, until the feed is back; one line per outage.
                if (!failing)
                {
                    LogFeedStopped(ex.Message, RetryDelay.TotalSeconds);
                    failing = true;
                }

                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    [LoggerMessage(5600, LogLevel.Warning, "The console no longer follows the worker's events ({Reason}); the inbox and task pages read the store every few seconds, and the console tries again every {RetrySeconds} s")]
    private partial void LogFeedStopped(string reason, double retrySeconds);
}
