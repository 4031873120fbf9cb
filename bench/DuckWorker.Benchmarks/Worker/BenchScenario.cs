using System.Collections.Concurrent;
using DuckWorker.RabbitMq;
using DuckWorker.Testing.Processes;
using RabbitMQ.Client;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// One run's queues and exchanges, declared for it and deleted when it ends: a benchmark run makes dozens,
/// some holding thousands of outcomes, and a broker that keeps them all grows slow for everything after. The
/// worker processes the run starts are its own too (<see cref="Own"/>): they end first, interrupted or not.
/// </summary>
internal sealed class BenchScenario : IAsyncDisposable
{
    private readonly string name;
    private readonly RabbitMqOptions names;
    private readonly IChannel following;
    private readonly IDisposable onInterruption;
    private readonly ConcurrentStack<WorkerProcess> owned = new();

    public BenchScenario(string name, RabbitMqOptions names, IChannel following)
    {
        (this.name, this.names, this.following) = (name, names, following);
        onInterruption = Interruption.Undo(this);
    }

    /// <summary>The run's name, which starts each of its job ids.</summary>
    public string Name => name;

    public RabbitMqOptions Names => names;

    /// <summary>Ends <paramref name="worker"/> when the run ends, if it has not ended before.</summary>
    public void Own(WorkerProcess worker) => owned.Push(worker);

    public async ValueTask DisposeAsync()
    {
        onInterruption.Dispose();
        while (owned.TryPop(out var worker))
        {
            await worker.DisposeAsync();
        }

        foreach (var queue in new[] { names.ApprovalsRequestedQueue, names.TasksFinishedQueue, names.DecisionsQueue, names.DeadQueue })
        {
            await following.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }

        await following.ExchangeDeleteAsync(names.EventsExchange, ifUnused: false);
        await following.ExchangeDeleteAsync(names.DeadLetterExchange, ifUnused: false);

        // Last: an interrupted run may still be publishing jobs to it, and RabbitMQ closes the connection of a
        // channel that publishes to a quorum queue as it is deleted, which would leave the others behind.
        await following.QueueDeleteAsync(names.JobsQueue, ifUnused: false, ifEmpty: false);
        await following.DisposeAsync();
    }
}
