using System.Diagnostics;
using System.Text.Json;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Testing.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// A worker's first announcements are made before its publishing channel exists (its first task's acceptance,
/// its first model call): the channel is opened once, and they still go out in the order they were made, those
/// made while it opened included. Publishes that each opened it for themselves overtook one another.
/// </summary>
public sealed class AnnouncementsMadeBeforeTheChannelOpensKeepTheirOrder(BrokerFixture broker)
{
    // Each worker meets the opening once: so many of them, each with a task's first events.
    private const int Workers = 60;
    private const int Announced = 12;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheyArriveInSeqOrder()
    {
        broker.SkipIfUnavailable();
        var names = broker.UniqueNames();
        var options = Options.Create(new RabbitMqOptions { Uri = broker.Uri!, EventsExchange = names.Events });
        var channel = await broker.ChannelAsync(Ct);
        await channel.ExchangeDeclareAsync(names.Events, ExchangeType.Topic, durable: false, autoDelete: true, cancellationToken: Ct);
        await using var inbox = await broker.InboxAsync(names.Events, Ct, "task.event.*");

        for (var worker = 0; worker < Workers; worker++)
        {
            await using var connection = new RabbitMqConnection(options, NullLogger<RabbitMqConnection>.Instance);
            await using var publisher = new RabbitMqPublisher(connection, options, TimeProvider.System, NullLogger<RabbitMqPublisher>.Instance);
            using var announcements = new EventAnnouncements(publisher, options, NullLogger<EventAnnouncements>.Instance);

            // Connected, as a worker is once it takes jobs, with no channel to publish on yet.
            await connection.GetAsync(Ct);
            await announcements.StartAsync(Ct);

            // As a task makes them: a few at once, then one after each model call, a fraction of a millisecond apart.
            for (var seq = 1; seq <= Announced; seq++)
            {
                announcements.Enqueue(new TaskEventV1($"task-{worker}", seq, "model_call_started", JsonSerializer.SerializeToElement(new { role = "action" }), DateTimeOffset.UnixEpoch), "job");
                if (seq >= 3)
                {
                    Pause(TimeSpan.FromMicroseconds(200));
                }
            }

            await inbox.WaitForCountAsync(_ => true, (worker + 1) * Announced, TimeSpan.FromSeconds(30), Ct);
            await announcements.StopAsync(Ct);
        }

        var arrived = inbox.Received;
        foreach (var task in arrived.GroupBy(m => m.Json.GetProperty("taskId").GetString()))
        {
            Assert.Equal(Enumerable.Range(1, Announced).Select(seq => (long)seq), task.Select(m => m.Json.GetProperty("seq").GetInt64()));
        }
    }

    // Shorter than a timer can wait.
    private static void Pause(TimeSpan pause)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < pause)
        {
            Thread.SpinWait(20);
        }
    }
}
