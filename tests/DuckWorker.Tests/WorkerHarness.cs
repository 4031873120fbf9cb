using DuckWorker.Hosting;
using DuckWorker.Runtime.Approvals;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests;

/// <summary>
/// The worker's real wiring (<see cref="DuckWorkerHostBuilderExtensions.AddDuckWorker"/>) on a fresh SQLite
/// file and workspace root, talking to an Ollama test server; hosted services are not started.
/// </summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    public const string Thinker = "thinker-model";
    public const string Action = "action-model";
    public const string Critic = "critic-model";
    public const string Memory = "memory-model";

    /// <summary>The model of each role, as a worker process is told them.</summary>
    public static readonly (string Role, string Model)[] Models =
        [("thinker", Thinker), ("action", Action), ("critic", Critic), ("memory", Memory), ("embedding", "embedding-model")];

    private readonly IHost host;
    private bool ownsOllama = true;
    private BrokerFixture? broker;

    private WorkerHarness(IHost host, OllamaTestServer ollama, string folder)
    {
        this.host = host;
        Ollama = ollama;
        Folder = folder;
    }

    public OllamaTestServer Ollama { get; }

    public string Folder { get; }

    public string WorkspaceRoot => Path.Join(Folder, "workspaces");

    public IServiceProvider Services => host.Services;

    public RuntimeLoop Loop => Services.GetRequiredService<RuntimeLoop>();

    public ApprovalService Approvals => Services.GetRequiredService<ApprovalService>();

    public ITaskStore Tasks => Services.GetRequiredService<ITaskStore>();

    /// <summary>The worker's services without its hosted consumers: the runtime, the store and the Ollama wiring.</summary>
    public static Task<WorkerHarness> StartAsync(IDictionary<string, string?>? settings = null) => CreateAsync(settings);

    /// <summary>The whole worker, consuming from the broker under queue names of its own, once its consumers are ready.</summary>
    public static async Task<WorkerHarness> RunAsync(BrokerFixture broker, IDictionary<string, string?>? settings = null, BrokerNames? names = null, OllamaTestServer? ollama = null)
    {
        broker.SkipIfUnavailable();
        names ??= broker.UniqueNames();
        var all = new Dictionary<string, string?>(names.Settings(broker.Uri!))
        {
            ["Worker:Concurrency"] = "4",
            ["Worker:ShutdownTimeout"] = "00:00:05",
            ["Worker:RequeueDelay"] = "00:00:00.050",
            ["Worker:SweepInterval"] = "00:00:00.500",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var worker = await CreateAsync(all, ollama);
        worker.Names = names;
        worker.broker = broker;
        await worker.host.StartAsync(TestContext.Current.CancellationToken);
        await worker.WaitForConsumersAsync(broker);
        return worker;
    }

    public BrokerNames Names { get; private set; } = new("none");

    /// <summary>The configuration the worker runs with, for another program (the command line) to use the same.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private init; } = new Dictionary<string, string?>();

    /// <summary>Stops the host as SIGTERM does.</summary>
    public Task StopAsync() => host.StopAsync(CancellationToken.None);

    private async Task WaitForConsumersAsync(BrokerFixture broker)
    {
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await using var channel = await broker.ChannelAsync(TestContext.Current.CancellationToken);
                if (await channel.ConsumerCountAsync(Names.Jobs, TestContext.Current.CancellationToken) > 0
                    && await channel.ConsumerCountAsync(Names.Decisions, TestContext.Current.CancellationToken) > 0)
                {
                    return;
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // The queues are not declared yet.
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("The worker did not start consuming within 10 s.");
    }

    private static async Task<WorkerHarness> CreateAsync(IDictionary<string, string?>? settings, OllamaTestServer? sharedOllama = null)
    {
        var ollama = sharedOllama ?? await OllamaTestServer.StartAsync(TestContext.Current.CancellationToken);
        var folder = Directory.CreateTempSubdirectory("duck-test-").FullName;
        var configuration = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "sqlite",
            ["Sqlite:Path"] = Path.Join(folder, "duck.db"),
            ["Tools:WorkspaceRoot"] = Path.Join(folder, "workspaces"),
            ["Ollama:BaseUrl"] = ollama.BaseUrl.ToString(),
            ["Ollama:MaxRetries"] = "1",
            ["Ollama:RetryDelay"] = "00:00:00.010",
            ["Ollama:Roles:thinker:Model"] = Thinker,
            ["Ollama:Roles:action:Model"] = Action,
            ["Ollama:Roles:critic:Model"] = Critic,
            ["Ollama:Roles:memory:Model"] = Memory,
            ["Ollama:Roles:embedding:Model"] = "embedding-model",
            ["Worker:ModelTimeout"] = "00:00:10",
            ["Health:Port"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddDuckWorker();
        var host = builder.Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        return new WorkerHarness(host, ollama, folder) { ownsOllama = sharedOllama is null, Settings = configuration };
    }

    /// <summary>A workspace folder under the root, with the given files.</summary>
    public string Workspace(string name, params (string Path, string Content)[] files)
    {
        var folder = Path.Join(WorkspaceRoot, name);
        Directory.CreateDirectory(folder);
        foreach (var (path, content) in files)
        {
            File.WriteAllText(Path.Join(folder, path), content);
        }

        return folder;
    }

    public async Task<IReadOnlyList<TaskEvent>> EventsAsync(string taskId)
    {
        var events = new List<TaskEvent>();
        await foreach (var entry in Services.GetRequiredService<IEventLog>().ReadAsync(taskId, 0, TestContext.Current.CancellationToken))
        {
            events.Add(entry);
        }

        return events;
    }

    public async Task<IReadOnlyList<string>> EventTypesAsync(string taskId) => [.. (await EventsAsync(taskId)).Select(e => e.EventType)];

    public Task<ChatResult> RunAsync(string message, string? workspace = null, string? jobId = null, bool reflect = true, ReasoningMode? reasoning = null) =>
        Loop.RunChatAsync(
            new ChatRequest { JobId = jobId ?? Guid.NewGuid().ToString("N"), Message = message, Workspace = workspace, Reflect = reflect, Reasoning = reasoning },
            TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(CancellationToken.None);
        host.Dispose();
        if (broker is not null)
        {
            await broker.DeleteAsync(Names, CancellationToken.None);
        }

        if (ownsOllama)
        {
            await Ollama.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    public T Option<T>() where T : class => Services.GetRequiredService<IOptions<T>>().Value;
}
