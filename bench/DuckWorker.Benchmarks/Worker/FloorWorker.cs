using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;
using Microsoft.Extensions.AI;
using OllamaSharp;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// The floor under the worker's per-job overhead: a stand-in worker, run as its own process as the worker is,
/// that does with a job only what no worker can leave out. It takes the job from the jobs queue, makes the
/// job's four model calls (an embedding, then the action, thinker and memory models) through OllamaSharp against
/// the same server, with prompts about as long as the worker's, publishes the outcome with a confirm and acks.
/// It stores nothing, announces no events and judges nothing: what the worker takes beyond it is its own steps.
/// Started as <c>DuckWorker.Benchmarks floor-worker</c> with the worker's DUCK_ variables; runs until it is killed,
/// or until its jobs queue is gone (the benchmark deletes a run's queues as it ends, even when it is interrupted).
/// </summary>
internal static class FloorWorker
{
    public const string Command = "floor-worker";

    // The worker's first prompt in this benchmark is about 1,800 characters (its system prompt and the job).
    private static readonly string SystemPrompt = string.Concat(Enumerable.Repeat("You are a careful assistant that answers briefly. ", 36));

    private static readonly string[] Settings = ["DUCK_Ollama__BaseUrl", "DUCK_RabbitMq__Uri", "DUCK_RabbitMq__JobsQueue", "DUCK_RabbitMq__EventsExchange"];

    public static async Task<int> RunAsync()
    {
        // The benchmark sets these; a run by hand without them is told what is missing.
        if (Settings.Where(key => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(key))).ToList() is [_, ..] missing)
        {
            await Console.Error.WriteLineAsync($"{Command} is started by the worker benchmark, which sets {string.Join(", ", Settings)}; missing: {string.Join(", ", missing)}.");
            return 2;
        }

        static string Setting(string key) => Environment.GetEnvironmentVariable(key)!;

        using var http = new HttpClient { BaseAddress = new Uri(Setting("DUCK_Ollama__BaseUrl")), Timeout = Timeout.InfiniteTimeSpan };
        var ollama = new OllamaApiClient(http);
        IChatClient chat = ollama;
        IEmbeddingGenerator<string, Embedding<float>> embedder = ollama;

        var factory = new ConnectionFactory { Uri = new Uri(Setting("DUCK_RabbitMq__Uri")) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var consuming = await connection.CreateChannelAsync(new CreateChannelOptions(false, false, consumerDispatchConcurrency: WorkerRuns.Concurrency));
        await using var publishing = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await consuming.BasicQosAsync(0, WorkerRuns.Concurrency, false);
        var eventsExchange = Setting("DUCK_RabbitMq__EventsExchange");

        var consumer = new AsyncEventingBasicConsumer(consuming);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            using var job = JsonDocument.Parse(delivery.Body);
            var jobId = job.RootElement.GetProperty("jobId").GetString()!;
            var message = job.RootElement.GetProperty("message").GetString()!;
            Task<ChatResponse> AskAsync(string model) =>
                chat.GetResponseAsync([new(ChatRole.System, SystemPrompt), new(ChatRole.User, message)], new ChatOptions { ModelId = model });

            await embedder.GenerateAsync([message], new EmbeddingGenerationOptions { ModelId = "embedding-model" });
            await AskAsync("action-model");
            var answer = await AskAsync("thinker-model");
            await AskAsync("memory-model");

            var outcome = ContractJson.Serialize(new TaskFinishedV1(Guid.NewGuid().ToString("N"), jobId, "completed", answer.Text, null));
            var properties = new BasicProperties { ContentType = "application/json", DeliveryMode = DeliveryModes.Persistent, Type = MessageTypes.TaskFinished, CorrelationId = jobId };
            await publishing.BasicPublishAsync(eventsExchange, RoutingKeys.TaskCompleted, mandatory: false, properties, outcome);
            await consuming.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        var gone = new TaskCompletionSource();
        consumer.UnregisteredAsync += (_, _) => SetAsync(gone);
        consumer.ShutdownAsync += (_, _) => SetAsync(gone);
        await consuming.BasicConsumeAsync(Setting("DUCK_RabbitMq__JobsQueue"), autoAck: false, consumer);
        await gone.Task;
        return 0;
    }

    private static Task SetAsync(TaskCompletionSource gone)
    {
        gone.TrySetResult();
        return Task.CompletedTask;
    }
}
