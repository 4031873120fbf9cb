using DuckWorker.Cli.Broker;
using DuckWorker.RabbitMq.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Cli.WebConsole.Inbox;

/// <summary>
/// Follows the worker's events (<c>duck.events</c>): a new request, a decision, a task's end each wake the open
/// inboxes, which then read the store. The inbox also reads it every few seconds, so it holds without the feed.
/// </summary>
internal sealed partial class InboxFeed(CliBroker broker, InboxSignal signal, ILogger<InboxFeed> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var feed = await broker.FollowAsync(stoppingToken, RoutingKeys.ApprovalRequested, RoutingKeys.TaskEventPrefix + "*", RoutingKeys.TaskCompleted, RoutingKeys.TaskFailed);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await feed.NextAsync(TimeSpan.FromMinutes(1), stoppingToken) is not null)
                {
                    signal.Pulse();
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The inbox keeps reading the store, only less promptly.
            LogFeedStopped(ex.Message);
        }
    }

    [LoggerMessage(5600, LogLevel.Warning, "The console no longer follows the worker's events ({Reason}); the inbox reads the store every few seconds instead")]
    private partial void LogFeedStopped(string reason);
}
