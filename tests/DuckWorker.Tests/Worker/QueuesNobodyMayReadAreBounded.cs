using System.Text;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Topology;
using DuckWorker.Testing.Broker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace DuckWorker.Tests.Worker;

public sealed class QueuesNobodyMayReadAreBounded(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RabbitMqOptions Options(BrokerNames names, int finished, int dead) => new()
    {
        JobsQueue = names.Jobs,
        EventsExchange = names.Events,
        ApprovalsRequestedQueue = names.ApprovalsRequested,
        TasksFinishedQueue = names.TasksFinished,
        DecisionsQueue = names.Decisions,
        DeadLetterExchange = names.DeadLetterExchange,
        DeadQueue = names.Dead,
        FinishedQueueMaxLength = finished,
        DeadQueueMaxLength = dead,
    };

    private static async Task PublishAsync(IChannel channel, string exchange, string routingKey, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, new BasicProperties { DeliveryMode = DeliveryModes.Persistent }, Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        }
    }

    private static async Task<List<string>> DrainAsync(IChannel channel, string queue)
    {
        var bodies = new List<string>();
        while (await channel.BasicGetAsync(queue, autoAck: true, Ct) is { } message)
        {
            bodies.Add(Encoding.UTF8.GetString(message.Body.Span));
        }

        return bodies;
    }

    [Fact]
    public async Task TheFinishedAndDeadQueuesKeepOnlyTheNewestMessagesUpToTheirBound()
    {
        broker.SkipIfUnavailable();
        var names = broker.UniqueNames();
        await using var connection = await new ConnectionFactory { Uri = broker.Uri! }.CreateConnectionAsync(Ct);
        try
        {
            var logs = new Logs();
            await new RabbitMqTopology(Microsoft.Extensions.Options.Options.Create(Options(names, finished: 3, dead: 2)), logs).DeclareAsync(connection, Ct);
            await using var channel = await broker.ChannelAsync(Ct);

            await PublishAsync(channel, names.Events, RoutingKeys.TaskCompleted, 5);
            await PublishAsync(channel, names.DeadLetterExchange, names.Jobs, 4);

            Assert.Equal(["3", "4", "5"], await DrainAsync(channel, names.TasksFinished));
            Assert.Equal(["3", "4"], await DrainAsync(channel, names.Dead));
            Assert.Empty(logs.Warnings);
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AQueueDeclaredBeforeItsBoundIsUsedAsItIsWithOneWarningSayingHowToBoundIt()
    {
        broker.SkipIfUnavailable();
        var names = broker.UniqueNames();
        await using var connection = await new ConnectionFactory { Uri = broker.Uri! }.CreateConnectionAsync(Ct);
        try
        {
            // As a worker before the bound declared it: no arguments.
            await broker.DeclareQueueAsync(names.TasksFinished, Ct);
            var logs = new Logs();
            var topology = new RabbitMqTopology(Microsoft.Extensions.Options.Options.Create(Options(names, finished: 3, dead: 2)), logs);

            await topology.DeclareAsync(connection, Ct);
            await topology.DeclareAsync(connection, Ct);

            var warning = Assert.Single(logs.Warnings);
            Assert.Contains($"Queue {names.TasksFinished} exists without the bound RabbitMq:FinishedQueueMaxLength=3", warning, StringComparison.Ordinal);
            Assert.Contains($"rabbitmqctl set_policy {names.TasksFinished}-bound '^{names.TasksFinished}$' '{{\"max-length\":3,\"overflow\":\"drop-head\"}}' --apply-to queues", warning, StringComparison.Ordinal);
            await using var channel = await broker.ChannelAsync(Ct);
            await PublishAsync(channel, names.Events, RoutingKeys.TaskFailed, 5);
            Assert.Equal(5u, await channel.MessageCountAsync(names.TasksFinished, Ct));
            Assert.Equal(0u, await channel.MessageCountAsync(names.Decisions, Ct));
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    private sealed class Logs : ILogger<RabbitMqTopology>
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
