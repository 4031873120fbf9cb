using DuckWorker.Jobs;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.RabbitMq.Topology;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

/// <summary>Consumes the jobs queue, <c>Worker:Concurrency</c> jobs at a time.</summary>
internal sealed class JobsWorker(
    JobsHandler handler,
    RabbitMqConnection connections,
    RabbitMqTopology topology,
    DeadLetters deadLetters,
    IOptions<RabbitMqOptions> rabbit,
    IOptions<WorkerOptions> worker,
    TimeProvider time,
    ILogger<JobsWorker> logger)
    : QueueWorker(rabbit.Value.JobsQueue, worker.Value.Concurrency, worker.Value.ShutdownTimeout, worker.Value.MaxMessageBytes, rabbit.Value.DeliveryLimit, handler, connections, topology, deadLetters, time, logger);
