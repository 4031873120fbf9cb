using DuckWorker.Jobs;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.RabbitMq.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

/// <summary>Consumes the approval decisions, one at a time: each is a few store calls and one publish.</summary>
internal sealed class DecisionsWorker(
    DecisionsHandler handler,
    RabbitMqConnection connections,
    RabbitMqTopology topology,
    DeadLetters deadLetters,
    IOptions<RabbitMqOptions> rabbit,
    IOptions<WorkerOptions> worker,
    TimeProvider time,
    ILogger<DecisionsWorker> logger)
    : QueueWorker(rabbit.Value.DecisionsQueue, 1, worker.Value.ShutdownTimeout, worker.Value.MaxMessageBytes, rabbit.Value.DeliveryLimit, handler, connections, topology, deadLetters, time, logger);
