using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// The transport's own limit: a consumer that does what the worker does with a job but run it (consume with
/// manual acks from a quorum queue, publish an outcome with confirms, ack), with the same concurrency and
/// message sizes, measured for throughput (every message published at once) and for its round trip (one at
/// a time, as the worker's per-job overhead is).
/// </summary>
internal sealed class EchoBaseline : IAsyncDisposable
{
    private readonly string requests = $"bench.echo.{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, long> answered = new();
    private readonly List<IChannel> channels = [];
    private IChannel producing = null!;
    private int received;

    private EchoBaseline()
    {
    }

    public static async Task<EchoBaseline> StartAsync(IConnection connection, int concurrency)
    {
        var echo = new EchoBaseline();
        await echo.SetUpAsync(connection, concurrency);
        return echo;
    }

    public async Task<double> JobsPerSecondAsync(int jobs)
    {
        var first = received;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            await PublishAsync($"echo-{Guid.NewGuid():N}");
        }

        var waited = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref received) - first < jobs)
        {
            if (Stopwatch.GetElapsedTime(waited) > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"The echo answered {received - first} of {jobs} messages.");
            }

            await Task.Delay(5);
        }

        return jobs / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>The milliseconds from publishing a message until its answer arrives, one message at a time.</summary>
    public async Task<IReadOnlyList<double>> RoundTripsAsync(int messages)
    {
        var times = new List<double>(messages);
        for (var i = 0; i < messages; i++)
        {
            var id = $"echo-{Guid.NewGuid():N}";
            var started = Stopwatch.GetTimestamp();
            await PublishAsync(id);
            while (!answered.ContainsKey(id))
            {
                await Task.Yield();
            }

            times.Add(Stopwatch.GetElapsedTime(started, answered[id]).TotalMilliseconds);
        }

        return times;
    }

    public async ValueTask DisposeAsync()
    {
        await channels[0].QueueDeleteAsync(requests, false, false);
        await channels[0].QueueDeleteAsync(requests + ".replies", false, false);
        foreach (var channel in Enumerable.Reverse(channels))
        {
            await channel.DisposeAsync();
        }
    }

    private async Task SetUpAsync(IConnection connection, int concurrency)
    {
        var replies = requests + ".replies";
        var setup = await Open(connection.CreateChannelAsync());
        await setup.QueueDeclareAsync(requests, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await setup.QueueDeclareAsync(replies, durable: true, exclusive: false, autoDelete: false);

        var serving = await Open(connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: (ushort)concurrency)));
        var answering = await Open(connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)));
        await serving.BasicQosAsync(0, (ushort)concurrency, false);
        var echo = new AsyncEventingBasicConsumer(serving);
        echo.ReceivedAsync += async (_, delivery) =>
        {
            var outcome = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { taskId = Guid.NewGuid().ToString("N"), jobId = delivery.BasicProperties.CorrelationId, status = "completed", finalResponse = "answer to hello from job 000000", reasoningContent = (string?)null }));
            await answering.BasicPublishAsync("", replies, mandatory: false, new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/json", CorrelationId = delivery.BasicProperties.CorrelationId }, outcome);
            await serving.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await serving.BasicConsumeAsync(requests, autoAck: false, echo);

        var collecting = await Open(connection.CreateChannelAsync());
        var collector = new AsyncEventingBasicConsumer(collecting);
        collector.ReceivedAsync += (_, delivery) =>
        {
            answered[delivery.BasicProperties.CorrelationId!] = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref received);
            return Task.CompletedTask;
        };
        await collecting.BasicConsumeAsync(replies, autoAck: true, collector);
        producing = await Open(connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)));
    }

    private async Task<IChannel> Open(Task<IChannel> opening)
    {
        var channel = await opening;
        channels.Add(channel);
        return channel;
    }

    private async Task PublishAsync(string id)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { jobId = id, message = "hello from job 000000", reflect = false }));
        await producing.BasicPublishAsync("", requests, mandatory: true, new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/json", Type = "duck.chat.v1", CorrelationId = id }, body);
    }
}
