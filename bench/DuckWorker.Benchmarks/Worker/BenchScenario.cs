using DuckWorker.RabbitMq;
using RabbitMQ.Client;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// One run's queues and exchanges, declared for it and deleted when it ends: a benchmark run makes dozens,
/// some holding thousands of outcomes, and a broker that keeps them all grows slow for everything after.
/// </summary>
internal sealed class BenchScenario : IAsyncDisposable
{
    private readonly string name;
    private readonly RabbitMqOptions names;
    private readonly IChannel following;
    private readonly IDisposable onInterruption;

    public BenchScenario(string name, RabbitMqOptions names, IChannel following)
    {
        (this.name, this.names, this.following) = (name, names, following);
        onInterruption = Interruption.Undo(this);
    }

    /// <summary>The run's name, which starts each of its job ids.</summary>
    public string Name => name;

    public RabbitMqOptions Names => names;

    public async ValueTask DisposeAsync()
    {
        onInterruption.Dispose();
        foreach (var queue in new[] { names.JobsQueue, names.ApprovalsRequestedQueue, names.TasksFinishedQueue, names.DecisionsQueue, names.DeadQueue })
        {
            await following.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }

        await following.ExchangeDeleteAsync(names.EventsExchange, ifUnused: false);
        await following.ExchangeDeleteAsync(names.DeadLetterExchange, ifUnused: false);
        await following.DisposeAsync();
    }
}
