using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Topology;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>The benchmark's side of the broker: publishes jobs as any producer would and times their outcomes.</summary>
internal sealed class BenchBroker : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly IChannel publishing;

    private BenchBroker(IConnection connection, IChannel publishing)
    {
        this.connection = connection;
        this.publishing = publishing;
    }

    /// <summary>When each job was published, by job id (Stopwatch ticks).</summary>
    public ConcurrentDictionary<string, long> Published { get; } = new();

    /// <summary>When each job's outcome arrived, and the outcome, by job id.</summary>
    public ConcurrentDictionary<string, (long At, string Status)> Finished { get; } = new();

    /// <summary>How many outcomes arrived, by scenario (a job id is <c>scenario-number</c>).</summary>
    private readonly ConcurrentDictionary<string, int> finishedByScenario = new();

    /// <summary>Completed, and replaced, whenever an outcome arrives: a waiter goes on at once, not at its next poll.</summary>
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<BenchBroker> ConnectAsync(Uri uri)
    {
        var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync();
        var publishing = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        return new BenchBroker(connection, publishing);
    }

    /// <summary>
    /// Declares the worker's topology under <paramref name="names"/> and collects <c>task.completed</c> and
    /// <c>task.failed</c> from its events exchange from now on, until the scenario is disposed.
    /// </summary>
    public async Task<BenchScenario> StartScenarioAsync(string name, RabbitMqOptions names)
    {
        await new RabbitMqTopology(Options.Create(names), NullLogger<RabbitMqTopology>.Instance).DeclareAsync(connection, CancellationToken.None);
        var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, names.EventsExchange, "task.completed");
        await channel.QueueBindAsync(queue, names.EventsExchange, "task.failed");
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var body = JsonDocument.Parse(delivery.Body);
            var jobId = body.RootElement.GetProperty("jobId").GetString()!;
            if (Finished.TryAdd(jobId, (at, body.RootElement.GetProperty("status").GetString()!)))
            {
                finishedByScenario.AddOrUpdate(jobId[..jobId.LastIndexOf('-')], 1, (_, count) => count + 1);
                Interlocked.Exchange(ref arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }

            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return new BenchScenario(name, names, channel);
    }

    public async Task PublishJobAsync(RabbitMqOptions names, string jobId, string message, string? workspace = null)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Type = "duck.chat.v1",
            MessageId = Guid.NewGuid().ToString("N"),
            CorrelationId = jobId,
        };
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { jobId, message, workspace, reflect = false }));
        Published[jobId] = Stopwatch.GetTimestamp();
        await publishing.BasicPublishAsync("", names.JobsQueue, mandatory: true, properties, body);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> jobs of <paramref name="scenario"/> have their outcome, going on as the
    /// last arrives: a wait that polled left the machine idle between one job's outcome and the next job.
    /// </summary>
    public async Task WaitForAsync(string scenario, int count, TimeSpan timeout)
    {
        // One timer for the whole wait: a delay per outcome left one running for each, up to the timeout.
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                // Taken before the count is read, so that an outcome arriving in between completes it.
                var next = Volatile.Read(ref arrived).Task;
                if (finishedByScenario.GetValueOrDefault(scenario) >= count)
                {
                    return;
                }

                await next.WaitAsync(limit.Token);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"Only {finishedByScenario.GetValueOrDefault(scenario)} of {count} jobs of {scenario} finished within {timeout}.");
        }
    }

    public IConnection Connection => connection;

    /// <summary>True once something consumes the queue.</summary>
    public async Task<bool> ConsumedAsync(string queue)
    {
        await using var channel = await connection.CreateChannelAsync();
        return await channel.ConsumerCountAsync(queue) > 0;
    }

    public async ValueTask DisposeAsync()
    {
        await publishing.DisposeAsync();
        await connection.DisposeAsync();
    }
}
