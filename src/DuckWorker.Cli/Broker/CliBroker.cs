using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.RabbitMq.Topology;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DuckWorker.Cli.Broker;

/// <summary>
/// The command line's connection to the broker: tried once (a person is waiting, so it does not retry for
/// ever like the worker), the topology declared as the worker declares it, publishes confirmed.
/// </summary>
internal sealed class CliBroker : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel publishing;

    private CliBroker(RabbitMqOptions names, IConnection connection, IChannel publishing)
    {
        Names = names;
        this.connection = connection;
        this.publishing = publishing;
    }

    public RabbitMqOptions Names { get; }

    public static async Task<CliBroker> ConnectAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var names = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        if (names.Uri is not { IsAbsoluteUri: true } uri || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new CliException("RabbitMq:Uri (or --broker) must be an amqp:// address, e.g. amqp://guest:guest@localhost:5672/.", ExitCodes.Configuration);
        }

        IConnection connection;
        try
        {
            connection = await new ConnectionFactory { Uri = uri, ClientProvidedName = "duck-cli", RequestedConnectionTimeout = TimeSpan.FromSeconds(5) }
                .CreateConnectionAsync(cancellationToken);
        }
        catch (BrokerUnreachableException ex)
        {
            throw new CliException(
                $"Cannot reach RabbitMQ at {names.SafeUri} (RabbitMq:Uri, or --broker): {ex.InnerException?.Message ?? ex.Message}\n" +
                "Start one with Docker: docker run -d -p 5672:5672 rabbitmq:3.13-management\n" +
                "or without it: sudo apt-get install -y rabbitmq-server (or .ci/start-rabbitmq in this repository).");
        }

        try
        {
            await new RabbitMqTopology(Options.Create(names), NullLogger<RabbitMqTopology>.Instance).DeclareAsync(connection, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            await connection.DisposeAsync();
            throw new CliException(ex.Message);
        }

        var publishing = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        return new CliBroker(names, connection, publishing);
    }

    /// <summary>Puts a job into the jobs queue; <paramref name="replyTo"/> asks for its outcome there too.</summary>
    public Task SubmitAsync<T>(string type, T job, string jobId, string? replyTo, CancellationToken cancellationToken) =>
        PublishAsync("", Names.JobsQueue, type, job, jobId, replyTo, cancellationToken);

    public Task DecideAsync(ApprovalDecisionV1 decision, CancellationToken cancellationToken) =>
        PublishAsync("", Names.DecisionsQueue, MessageTypes.ApprovalDecision, decision, null, null, cancellationToken);

    /// <summary>Announces a task that the command itself ended, as the worker announces a finished task: to the events exchange and the job's <c>reply_to</c>.</summary>
    public async Task AnnounceFinishedAsync(AgentTask task, CancellationToken cancellationToken)
    {
        var (message, routingKey) = TaskAnnouncer.Finished(task);
        // Not mandatory, as the worker's: nobody may be listening, and a reply_to queue may be gone.
        await PublishAsync(Names.EventsExchange, routingKey, MessageTypes.TaskFinished, message, task.JobId, null, cancellationToken, mandatory: false);
        if (!string.IsNullOrEmpty(task.ReplyTo))
        {
            await PublishAsync("", task.ReplyTo, MessageTypes.TaskFinished, message, task.JobId, null, cancellationToken, mandatory: false);
        }
    }

    /// <summary>A queue of its own, gone when the command ends, bound to the events exchange with these routing keys.</summary>
    public async Task<BrokerFeed> FollowAsync(CancellationToken cancellationToken, params string[] routingKeys)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken)).QueueName;
        foreach (var key in routingKeys)
        {
            await channel.QueueBindAsync(queue, Names.EventsExchange, key, cancellationToken: cancellationToken);
        }

        return await BrokerFeed.StartAsync(channel, queue, cancellationToken);
    }

    /// <summary>Takes up to <paramref name="limit"/> messages of a queue without acknowledging them; disposing the peek hands them back.</summary>
    public Task<QueuePeek> PeekAsync(string queue, int limit, CancellationToken cancellationToken) =>
        QueuePeek.TakeAsync(connection, queue, limit, cancellationToken);

    /// <summary>A shared queue, read a message at a time (see <see cref="SharedQueue"/>).</summary>
    public async Task<SharedQueue> TakeFromAsync(string queue, CancellationToken cancellationToken) =>
        new(await connection.CreateChannelAsync(cancellationToken: cancellationToken), queue);

    public async ValueTask DisposeAsync()
    {
        await publishing.DisposeAsync();
        await connection.DisposeAsync();
    }

    private async Task PublishAsync<T>(string exchange, string routingKey, string type, T message, string? correlationId, string? replyTo, CancellationToken cancellationToken, bool mandatory = true)
    {
        var properties = RabbitMqPublisher.NewProperties(type, correlationId);
        properties.ReplyTo = replyTo;
        await publishing.BasicPublishAsync(exchange, routingKey, mandatory, properties, ContractJson.Serialize(message), cancellationToken);
    }
}
