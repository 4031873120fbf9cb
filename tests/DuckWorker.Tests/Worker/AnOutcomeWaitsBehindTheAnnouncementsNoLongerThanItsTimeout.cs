using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Publishing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// What goes out behind the announcements (a task's outcome) keeps the limit a publish of its own had:
/// <c>RabbitMq:PublishTimeout</c> counts from when it is handed over, waiting in line included.
/// </summary>
public sealed class AnOutcomeWaitsBehindTheAnnouncementsNoLongerThanItsTimeout
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnOutcomeThatCannotGoOutTimesOutAndTheOnesAfterItStillGoOut()
    {
        var options = Options.Create(new RabbitMqOptions { PublishTimeout = TimeSpan.FromMilliseconds(300) });
        await using var connection = new RabbitMqConnection(options, NullLogger<RabbitMqConnection>.Instance);
        await using var publisher = new RabbitMqPublisher(connection, options, TimeProvider.System, NullLogger<RabbitMqPublisher>.Instance);
        using var announcements = new EventAnnouncements(publisher, options, NullLogger<EventAnnouncements>.Instance);
        using var broker = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await announcements.StartAsync(Ct);

        // A publish the broker never confirms; it ends only when the test does.
        var stuck = announcements.PublishBehindAsync(_ => Task.Delay(Timeout.Infinite, broker.Token), Ct);
        var sent = 0;
        var next = announcements.PublishBehindAsync(
            _ =>
            {
                Interlocked.Increment(ref sent);
                return Task.CompletedTask;
            },
            Ct);

        var timedOut = await Assert.ThrowsAsync<TimeoutException>(() => stuck).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Contains("RabbitMq:PublishTimeout", timedOut.Message, StringComparison.Ordinal);
        await next.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(1, sent);

        await broker.CancelAsync();
        await announcements.StopAsync(Ct);
    }
}
