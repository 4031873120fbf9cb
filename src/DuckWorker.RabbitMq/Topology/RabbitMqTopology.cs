using DuckWorker.RabbitMq.Contracts;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace DuckWorker.RabbitMq.Topology;

/// <summary>
/// Declares the queues and exchanges of DESIGN.md section 3. Declaring is idempotent; a queue that already
/// exists with other arguments makes the broker refuse (406), which fails the start naming the queue.
/// </summary>
public sealed class RabbitMqTopology(IOptions<RabbitMqOptions> options)
{
    public async Task DeclareAsync(IConnection connection, CancellationToken cancellationToken)
    {
        var names = options.Value;
        // A refused declaration closes its channel, so the declarations get a channel of their own.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        string? declaring = null;
        try
        {
            declaring = names.DeadLetterExchange;
            await channel.ExchangeDeclareAsync(names.DeadLetterExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            declaring = names.DeadQueue;
            await channel.QueueDeclareAsync(names.DeadQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
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
            await channel.QueueDeclareAsync(names.TasksFinishedQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
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
    }
}
