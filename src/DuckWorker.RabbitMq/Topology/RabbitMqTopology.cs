using System.Collections.Concurrent;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.RabbitMq.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DuckWorker.RabbitMq.Topology;

/// <summary>
/// Declares the queues and exchanges of docs/topology.md. Declaring is idempotent; a queue that already
/// exists with other arguments makes the broker refuse (406), which fails the start naming the queue. The two
/// queues nobody may read (finished tasks, dead letters) are bounded; one an older deployment declared without
/// its bound is used as it is, with a warning once per queue saying how to bound it.
/// </summary>
public sealed class RabbitMqTopology(IOptions<RabbitMqOptions> options, ILogger<RabbitMqTopology> logger)
{
    private readonly ConcurrentDictionary<string, bool> warned = new(StringComparer.Ordinal);

    public async Task DeclareAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var names = options.Value;
        // A refused declaration closes its channel, so the declarations get a channel of their own.
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        string? declaring = null;
        try
        {
            declaring = names.DeadLetterExchange;
            await channel.ExchangeDeclareAsync(names.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            declaring = names.DeadQueue;
            channel = await DeclareBoundedAsync(connection, channel, names.DeadQueue, $"{RabbitMqOptions.Section}:{nameof(names.DeadQueueMaxLength)}", names.DeadQueueMaxLength, cancellationToken);
            await channel.QueueBindAsync(names.DeadQueue, names.DeadLetterExchange, "", cancellationToken: cancellationToken);

            declaring = names.JobsQueue;
            await channel.QueueDeclareAsync(
                names.JobsQueue,
                durable: true,
                exclusive: false,
                autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "quorum",
                    ["x-delivery-limit"] = names.DeliveryLimit,
                    ["x-dead-letter-exchange"] = names.DeadLetterExchange,
                },
                cancellationToken: cancellationToken);

            declaring = names.EventsExchange;
            await channel.ExchangeDeclareAsync(names.EventsExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            declaring = names.ApprovalsRequestedQueue;
            await channel.QueueDeclareAsync(names.ApprovalsRequestedQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(names.ApprovalsRequestedQueue, names.EventsExchange, RoutingKeys.ApprovalRequested, cancellationToken: cancellationToken);
            declaring = names.TasksFinishedQueue;
            channel = await DeclareBoundedAsync(connection, channel, names.TasksFinishedQueue, $"{RabbitMqOptions.Section}:{nameof(names.FinishedQueueMaxLength)}", names.FinishedQueueMaxLength, cancellationToken);
            await channel.QueueBindAsync(names.TasksFinishedQueue, names.EventsExchange, RoutingKeys.TaskCompleted, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(names.TasksFinishedQueue, names.EventsExchange, RoutingKeys.TaskFailed, cancellationToken: cancellationToken);
            declaring = names.DecisionsQueue;
            await channel.QueueDeclareAsync(names.DecisionsQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            throw new InvalidOperationException(
                $"RabbitMQ refused to declare '{declaring}': it exists with other settings ({ex.ShutdownReason.ReplyText}). " +
                "Delete it, or choose another name in the RabbitMq section.",
                ex);
        }
        finally
        {
            await channel.DisposeAsync();
        }
    }

    /// <summary>Declares a queue that keeps at most <paramref name="maxLength"/> messages, dropping the oldest (0: unbounded); returns the channel to go on with.</summary>
    private async Task<IChannel> DeclareBoundedAsync(IConnection connection, IChannel channel, string queue, string key, int maxLength, CancellationToken cancellationToken)
    {
        var bound = maxLength == 0 ? null : new Dictionary<string, object?>
        {
            ["x-max-length"] = maxLength,
            ["x-overflow"] = "drop-head",
        };
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: bound, cancellationToken: cancellationToken);
            return channel;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 406)
        {
            // The queue exists with other arguments; refusing to start over a bound would stop deployments
            // that worked before it. The refusal closed the channel: the rest is declared on a new one.
            await channel.DisposeAsync();
            var next = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await next.QueueDeclarePassiveAsync(queue, cancellationToken);
            if (warned.TryAdd(queue, true))
            {
                logger.QueueNotBounded(queue, key, maxLength, ex.ShutdownReason.ReplyText);
            }

            return next;
        }
    }
}
