using System.Diagnostics;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// The transport's own limit: a consumer that does what the worker does with a job but run it (consume with
/// manual acks, publish an outcome with confirms, ack), with the same concurrency and message sizes.
/// </summary>
internal static class EchoBaseline
{
    public static async Task<double> JobsPerSecondAsync(IConnection connection, int jobs, int concurrency)
    {
        var requests = $"bench.echo.{Guid.NewGuid():N}";
        var replies = requests + ".replies";
        await using var setup = await connection.CreateChannelAsync();
        await setup.QueueDeclareAsync(requests, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
        await setup.QueueDeclareAsync(replies, durable: true, exclusive: false, autoDelete: false);

        await using var serving = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: (ushort)concurrency));
        await using var answering = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await serving.BasicQosAsync(0, (ushort)concurrency, false);
        var outcome = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { taskId = Guid.NewGuid().ToString("N"), jobId = "echo-000000", status = "completed", finalResponse = "answer to hello from job 000000", reasoningContent = (string?)null }));
        var echo = new AsyncEventingBasicConsumer(serving);
        echo.ReceivedAsync += async (_, delivery) =>
        {
            await answering.BasicPublishAsync("", replies, mandatory: false, new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/json" }, outcome);
            await serving.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await serving.BasicConsumeAsync(requests, autoAck: false, echo);

        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var collecting = await connection.CreateChannelAsync();
        var collector = new AsyncEventingBasicConsumer(collecting);
        collector.ReceivedAsync += (_, _) =>
        {
            if (Interlocked.Increment(ref received) == jobs)
            {
                done.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await collecting.BasicConsumeAsync(replies, autoAck: true, collector);

        await using var producing = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { jobId = $"echo-{i:D6}", message = $"hello from job {i:D6}", reflect = false }));
            await producing.BasicPublishAsync("", requests, mandatory: true, new BasicProperties { DeliveryMode = DeliveryModes.Persistent, ContentType = "application/json", Type = "duck.chat.v1" }, body);
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await setup.QueueDeleteAsync(requests, false, false);
        await setup.QueueDeleteAsync(replies, false, false);
        return jobs / seconds;
    }
}
