using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using DuckWorker.Testing.Broker;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace DuckWorker.Testing.Soak;

/// <summary>
/// The soak's side of the broker: the producer of the jobs, the automatic approver, and the reader of the
/// outcomes. Its connection recovers after a broker restart (consumers included), and every publish is
/// confirmed and tried again until it is: nothing it sends or receives is lost to the restart.
/// </summary>
internal sealed class SoakBroker : IAsyncDisposable
{
    private readonly IConnection connection;
    private readonly BrokerNames names;
    private readonly IReadOnlyDictionary<string, SoakJob> jobs;
    private readonly int seed;
    private readonly SemaphoreSlim publishGate = new(1, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<Task> deciding = [];
    private readonly ConcurrentDictionary<string, int> askedPerJob = new(StringComparer.Ordinal);
    private IChannel? publishing;
    private volatile TaskCompletionSource<string>? nextApprovalRequest;

    private SoakBroker(IConnection connection, BrokerNames names, IReadOnlyList<SoakJob> jobs, int seed)
    {
        this.connection = connection;
        this.names = names;
        this.jobs = jobs.ToDictionary(j => j.JobId, StringComparer.Ordinal);
        this.seed = seed;
    }

    /// <summary>Every approval request received, by approval id, with how many times it came.</summary>
    public ConcurrentDictionary<string, int> ApprovalRequests { get; } = new(StringComparer.Ordinal);

    /// <summary>The decision sent for each approval id, once the broker confirmed it.</summary>
    public ConcurrentDictionary<string, string> DecisionsSent { get; } = new(StringComparer.Ordinal);

    /// <summary>Outcome messages (<c>duck.task-finished.v1</c>) by job id, with their statuses in arrival order.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<string>> Outcomes { get; } = new(StringComparer.Ordinal);

    public int PublishRetries { get; private set; }

    public static async Task<SoakBroker> ConnectAsync(Uri uri, BrokerNames names, IReadOnlyList<SoakJob> jobs, int seed, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = uri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromMilliseconds(500),
            ClientProvidedName = "duck-soak",
        };
        var broker = new SoakBroker(await factory.CreateConnectionAsync(cancellationToken), names, jobs, seed);
        await broker.StartAsync(cancellationToken);
        return broker;
    }

    /// <summary>Completes with its job id when the next approval request arrives, for a kill right after one.</summary>
    public Task<string> NextApprovalRequestAsync()
    {
        var next = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        nextApprovalRequest = next;
        return next.Task;
    }

    public Task PublishJobAsync(SoakJob job, string workspace, CancellationToken cancellationToken) =>
        PublishAsync(
            names.Jobs,
            "duck.chat.v1",
            JsonSerializer.Serialize(new { jobId = job.JobId, message = job.Message, workspace, reflect = false }),
            job.JobId,
            cancellationToken);

    /// <summary>Waits for the decisions still on their way (each waits a moment, as a person would).</summary>
    public async Task DrainAsync() => await Task.WhenAll(deciding);

    /// <summary>Deletes the run's queues and exchanges, so that the broker does not fill up with them.</summary>
    public async Task DeleteTopologyAsync(CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        foreach (var queue in new[] { names.Jobs, names.ApprovalsRequested, names.TasksFinished, names.Decisions, names.Dead })
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
        }

        foreach (var exchange in new[] { names.Events, names.DeadLetterExchange })
        {
            await channel.ExchangeDeleteAsync(exchange, cancellationToken: cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        try
        {
            await Task.WhenAll(deciding);
        }
        catch (OperationCanceledException)
        {
            // The run is over; a decision not sent by now is not needed any more.
        }

        if (publishing is not null)
        {
            await publishing.DisposeAsync();
        }

        await connection.DisposeAsync();
        stopping.Dispose();
        publishGate.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        publishing = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        await ConsumeAsync(names.ApprovalsRequested, OnApprovalRequested, cancellationToken);
        await ConsumeAsync(names.TasksFinished, OnFinished, cancellationToken);
    }

    private async Task ConsumeAsync(string queue, Action<ReadOnlyMemory<byte>> handle, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            // Recorded before it is acknowledged: the soak's process never dies, so its memory is durable enough.
            handle(delivery.Body);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
    }

    private void OnFinished(ReadOnlyMemory<byte> body)
    {
        using var finished = JsonDocument.Parse(body);
        var jobId = finished.RootElement.GetProperty("jobId").GetString() ?? "";
        Outcomes.GetOrAdd(jobId, _ => new ConcurrentQueue<string>()).Enqueue(finished.RootElement.GetProperty("status").GetString() ?? "");
    }

    private void OnApprovalRequested(ReadOnlyMemory<byte> body)
    {
        using var request = JsonDocument.Parse(body);
        var approvalId = request.RootElement.GetProperty("approvalId").GetString()!;
        var taskId = request.RootElement.GetProperty("taskId").GetString()!;
        var jobId = request.RootElement.GetProperty("jobId").GetString()!;
        var first = ApprovalRequests.AddOrUpdate(approvalId, 1, (_, count) => count + 1) == 1;
        nextApprovalRequest?.TrySetResult(jobId);
        if (first)
        {
            deciding.Add(DecideAsync(approvalId, taskId, jobId));
        }
    }

    /// <summary>
    /// Decides after a pause drawn for this approval, so that decisions arrive at every moment: at once (while
    /// the asking run may still hold the task), while its worker is down, during the broker's restart.
    /// </summary>
    private async Task DecideAsync(string approvalId, string taskId, string jobId)
    {
        var job = jobs.GetValueOrDefault(jobId);
        var draw = new Random(HashCode.Combine(seed, SoakJob.NumberOf(jobId), askedPerJob.AddOrUpdate(jobId, 1, (_, count) => count + 1)));
        var pause = draw.Next(4) == 0 ? 0 : draw.Next(0, 1500);
        await Task.Delay(pause, stopping.Token);
        var decision = job is { Denied: true } ? "deny" : "allow_once";
        await PublishAsync(
            names.Decisions,
            "duck.approval-decision.v1",
            JsonSerializer.Serialize(new { approvalId, decision, decidedBy = "soak-approver", taskId }),
            jobId,
            stopping.Token);
        DecisionsSent[approvalId] = decision;
    }

    private async Task PublishAsync(string queue, string type, string body, string correlationId, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            ContentType = "application/json",
            DeliveryMode = DeliveryModes.Persistent,
            Type = type,
            MessageId = Guid.NewGuid().ToString("N"),
            CorrelationId = correlationId,
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        while (true)
        {
            await publishGate.WaitAsync(cancellationToken);
            try
            {
                await publishing!.BasicPublishAsync("", queue, mandatory: true, properties, bytes, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.AlreadyClosedException
                or RabbitMQ.Client.Exceptions.PublishException
                or RabbitMQ.Client.Exceptions.OperationInterruptedException
                or IOException
                or ObjectDisposedException)
            {
                // The broker restarts: the connection recovers by itself; the same message goes again (a job
                // or a decision sent twice is what any producer may do, and the worker must take it once).
                PublishRetries++;
            }
            finally
            {
                publishGate.Release();
            }

            await Task.Delay(250, cancellationToken);
        }
    }
}
