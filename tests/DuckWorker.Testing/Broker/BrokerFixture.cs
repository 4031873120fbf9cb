using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using Testcontainers.RabbitMq;
using Xunit;

namespace DuckWorker.Testing.Broker;

/// <summary>
/// A real RabbitMQ broker for the tests of one assembly: a Testcontainers container when a Docker engine
/// answers, otherwise the broker named by <c>DUCK_TEST_RABBITMQ</c> (an amqp:// URI). Without either, every
/// test that needs it is skipped with the reason, never passed.
/// </summary>
public sealed class BrokerFixture : IAsyncLifetime
{
    public const string UriVariable = "DUCK_TEST_RABBITMQ";

    /// <summary>A shell command that restarts the broker named by <see cref="UriVariable"/>, for the restart test.</summary>
    public const string RestartVariable = "DUCK_TEST_RABBITMQ_RESTART";

    /// <summary>A program that runs rabbitmqctl against the broker named by <see cref="UriVariable"/> (<c>.ci/start-rabbitmq</c> writes one).</summary>
    public const string CtlVariable = "DUCK_TEST_RABBITMQ_CTL";

    private RabbitMqContainer? container;
    private IConnection? connection;

    public Uri? Uri { get; private set; }

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var named = Environment.GetEnvironmentVariable(UriVariable);
        string? dockerError = null;
        if (string.IsNullOrEmpty(named))
        {
            try
            {
                container = new RabbitMqBuilder("rabbitmq:3.13-alpine").Build();
                await container.StartAsync();
                Uri = new Uri(container.GetConnectionString());
            }
            catch (Exception ex)
            {
                dockerError = ex.Message;
                container = null;
            }
        }
        else
        {
            Uri = new Uri(named);
        }

        if (Uri is null)
        {
            UnavailableReason = $"No RabbitMQ broker: Testcontainers found no Docker engine ({dockerError}) and {UriVariable} is not set. .ci/run starts one.";
            return;
        }

        try
        {
            connection = await new ConnectionFactory { Uri = Uri, AutomaticRecoveryEnabled = true }.CreateConnectionAsync();
        }
        catch (Exception ex)
        {
            UnavailableReason = $"The RabbitMQ broker at {Uri.Host}:{Uri.Port} does not answer: {ex.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }

        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }

    /// <summary>Skips the calling test, with the reason, when no broker is available.</summary>
    public void SkipIfUnavailable()
    {
        if (UnavailableReason is not null)
        {
            Assert.Skip(UnavailableReason);
        }
    }

    /// <summary>Queue and exchange names of their own for one test, so that tests never see each other's messages.</summary>
    public BrokerNames UniqueNames() => new($"t{Guid.NewGuid():N}"[..13]);

    public bool CanRestart => container is not null || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RestartVariable));

    /// <summary>Restarts the broker; its durable queues and their messages survive.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        if (container is not null)
        {
            await container.ExecAsync(["rabbitmqctl", "stop_app"], cancellationToken);
            await container.ExecAsync(["rabbitmqctl", "start_app"], cancellationToken);
            return;
        }

        using var restart = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", Environment.GetEnvironmentVariable(RestartVariable)!])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = restart.StandardError.ReadToEndAsync(cancellationToken);
        await restart.WaitForExitAsync(cancellationToken);
        if (restart.ExitCode != 0)
        {
            throw new InvalidOperationException($"Restarting the broker failed ({restart.ExitCode}): {await errors}");
        }
    }

    public bool CanEval => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CtlVariable));

    /// <summary>Evaluates an Erlang expression on the broker's node (<c>rabbitmqctl eval</c>) and returns what it printed.</summary>
    public async Task<string> EvalAsync(string expression, CancellationToken cancellationToken)
    {
        using var ctl = Process.Start(new ProcessStartInfo(Environment.GetEnvironmentVariable(CtlVariable)!, ["eval", expression])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = ctl.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = ctl.StandardError.ReadToEndAsync(cancellationToken);
        await ctl.WaitForExitAsync(cancellationToken);
        if (ctl.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl eval '{expression}' failed ({ctl.ExitCode}): {await errors}");
        }

        return (await output).Trim();
    }

    /// <summary>A channel with publisher confirms; after a broker restart it waits for the connection to recover.</summary>
    public async Task<IChannel> ChannelAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await connection!.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            }
            catch (RabbitMQ.Client.Exceptions.AlreadyClosedException) when (attempt < 150)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    /// <summary>Publishes a message as any AMQP client would, with the given type and properties.</summary>
    public async Task PublishAsync(string queue, string body, string? type, CancellationToken cancellationToken, string? replyTo = null, string? messageId = null, string? userId = null) =>
        await PublishAsync(queue, Encoding.UTF8.GetBytes(body), type, cancellationToken, replyTo, messageId, userId);

    /// <param name="userId">The AMQP <c>user_id</c>; RabbitMQ refuses (closing the channel) any but the connection's user.</param>
    public async Task PublishAsync(string queue, byte[] body, string? type, CancellationToken cancellationToken, string? replyTo = null, string? messageId = null, string? userId = null)
    {
        await using var channel = await ChannelAsync(cancellationToken);
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Type = type,
            ReplyTo = replyTo,
            MessageId = messageId ?? Guid.NewGuid().ToString("N"),
            UserId = userId,
        };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, body, cancellationToken);
    }

    /// <summary>A fresh queue bound to an exchange with the given routing keys, to watch what the worker announces.</summary>
    public async Task<BrokerInbox> InboxAsync(string exchange, CancellationToken cancellationToken, params string[] routingKeys)
    {
        var channel = await ChannelAsync(cancellationToken);
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: cancellationToken)).QueueName;
        foreach (var key in routingKeys)
        {
            await channel.QueueBindAsync(queue, exchange, key, cancellationToken: cancellationToken);
        }

        return await BrokerInbox.StartAsync(channel, queue, cancellationToken);
    }

    /// <summary>A consumer of an existing queue (the dead-letter queue, a reply queue).</summary>
    public async Task<BrokerInbox> ConsumeAsync(string queue, CancellationToken cancellationToken) =>
        await BrokerInbox.StartAsync(await ChannelAsync(cancellationToken), queue, cancellationToken);

    /// <summary>Deletes the queues and exchanges of one test, so that the broker does not fill up with them.</summary>
    public async Task DeleteAsync(BrokerNames names, CancellationToken cancellationToken)
    {
        await using var channel = await ChannelAsync(cancellationToken);
        foreach (var queue in new[] { names.Jobs, names.ApprovalsRequested, names.TasksFinished, names.Decisions, names.Dead })
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
        }

        foreach (var exchange in new[] { names.Events, names.DeadLetterExchange })
        {
            await channel.ExchangeDeleteAsync(exchange, cancellationToken: cancellationToken);
        }
    }

    public async Task DeclareQueueAsync(string queue, CancellationToken cancellationToken)
    {
        await using var channel = await ChannelAsync(cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
    }

    public async Task DeleteQueueAsync(string queue, CancellationToken cancellationToken)
    {
        await using var channel = await ChannelAsync(cancellationToken);
        await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
    }

    public async Task<uint> MessageCountAsync(string queue, CancellationToken cancellationToken)
    {
        await using var channel = await ChannelAsync(cancellationToken);
        return await channel.MessageCountAsync(queue, cancellationToken);
    }
}
