using Microsoft.Extensions.Options;

namespace DuckWorker.Tests;

public sealed class InvalidConfigurationFailsAtStartNamingTheKey
{
    [Theory]
    [InlineData("Ollama:Roles:critic:Model", "", "Ollama:Roles:critic:Model is required")]
    [InlineData("Ollama:Roles:thinker:Think", "maybe", "Ollama:Roles:thinker:Think must be one of")]
    [InlineData("Ollama:BaseUrl", "ftp://ollama", "Ollama:BaseUrl must be an absolute http")]
    [InlineData("Worker:MaxToolIterations", "0", "Worker:MaxToolIterations must be between 1 and 32")]
    [InlineData("Worker:Concurrency", "0", "Worker:Concurrency must be between 1 and 64")]
    [InlineData("Worker:ModelTimeout", "00:00:00", "Worker:ModelTimeout must be between")]
    [InlineData("Tools:WorkspaceRoot", "", "Tools:WorkspaceRoot is required")]
    [InlineData("Tools:MaxOutputBytes", "10", "Tools:MaxOutputBytes must be between")]
    [InlineData("Tools:Sandbox", "sideways", "Tools:Sandbox must be 'auto' (bubblewrap where it works, else unconfined), 'required' or 'off'; it is 'sideways'")]
    [InlineData("Tools:Limits:Processes", "1", "Tools:Limits:Processes must be between 8 and")]
    [InlineData("Tools:Limits:MemoryMegabytes", "0", "Tools:Limits:MemoryMegabytes must be between")]
    [InlineData("RabbitMq:FinishedQueueMaxLength", "-1", "RabbitMq:FinishedQueueMaxLength must be 0 (unbounded) or a positive number of messages; it is -1.")]
    [InlineData("RabbitMq:DeadQueueMaxLength", "-5", "RabbitMq:DeadQueueMaxLength must be 0 (unbounded) or a positive number of messages; it is -5.")]
    [InlineData("RabbitMq:AnnounceEvents", "some", "RabbitMq:AnnounceEvents must be 'all' (every task event), 'lifecycle' (only those of approvals and outcomes) or 'none'; it is 'some'.")]
    [InlineData("Sqlite:Path", "", "Sqlite:Path is required")]
    [InlineData("Memory:RecallBudget", "-1", "Memory:RecallBudget must be between")]
    [InlineData("Memory:MinScore", "2", "Memory:MinScore must be between -1 and 1")]
    [InlineData("Memory:DuplicateThreshold", "0", "Memory:DuplicateThreshold must be above 0")]
    [InlineData("Memory:Embedder", "openai", "Memory:Embedder must be one of ollama, local; it is 'openai'.")]
    [InlineData("Storage:Provider", "postgres", "Storage:Provider must be 'sqlite' (the embedded store, one file at Sqlite:Path) or 'mongo' (MongoDB at Mongo:ConnectionString); it is 'postgres'.")]
    [InlineData("Worker:Concurrency", "-3", "Worker:Concurrency must be between 1 and 64; it is -3.")]
    [InlineData("Health:Port", "70000", "Health:Port must be between 0 (off) and 65535; it is 70000.")]
    [InlineData("Otel:Endpoint", "localhost:4317", "Otel:Endpoint must be an absolute http:// or https:// address")]
    [InlineData("RabbitMq:Uri", "localhost", "RabbitMq:Uri must be an absolute amqp:// or amqps:// address")]
    [InlineData("Approvals:AllowedApprovers:0", "   ", "Approvals:AllowedApprovers:0 is not a name a decision can carry: name is empty.")]
    [InlineData("Approvals:AllowedApprovers:0", "ann\u001b", "Approvals:AllowedApprovers:0 is not a name a decision can carry: name holds a character that is not printable")]
    public async Task TheErrorNamesTheKey(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { [key] = value });
        });

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [InlineData("Worker:Concurrency", "two", "Worker:Concurrency must be a whole number; it is 'two'.")]
    [InlineData("Worker:ShutdownTimeout", "soon", "Worker:ShutdownTimeout must be a duration such as 00:00:30; it is 'soon'.")]
    [InlineData("Health:Port", "eighty", "Health:Port must be a whole number; it is 'eighty'.")]
    public async Task AValueOfTheWrongTypeIsOneLineNamingTheKey(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { [key] = value });
        });

        Assert.Equal([expected], DuckWorker.Hosting.ConfigurationErrors.Of(error));
    }

    [Fact]
    public async Task EveryWrongKeyIsReported()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "postgres",
                ["Worker:Concurrency"] = "-1",
                ["Health:Port"] = "70000",
                ["Ollama:BaseUrl"] = "localhost:11434",
                ["Memory:RecallTopK"] = "five",
            });
        });

        var errors = DuckWorker.Hosting.ConfigurationErrors.Of(error);
        Assert.Equal(5, errors.Count);
        foreach (var key in new[] { "Storage:Provider", "Worker:Concurrency", "Health:Port", "Ollama:BaseUrl", "Memory:RecallTopK" })
        {
            Assert.Single(errors, e => e.StartsWith(key + " must", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ARequiredSandboxWithoutBubblewrapNamesTheKeyAndHowToInstallIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Tools:Sandbox"] = "Required", ["Tools:BubblewrapPath"] = "/nonexistent/bwrap" });
        });

        Assert.Contains("Tools:Sandbox is 'required' but bubblewrap cannot run shell commands here: there is no bubblewrap at /nonexistent/bwrap (Tools:BubblewrapPath)", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install bubblewrap", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mongo:ConnectionString", "", "Mongo:ConnectionString is required")]
    [InlineData("Mongo:ConnectionString", "postgres://db", "Mongo:ConnectionString must be a mongodb:// or mongodb+srv:// connection string")]
    [InlineData("Mongo:Database", "duck.worker", "Mongo:Database must be a database name")]
    [InlineData("Mongo:EventsCollection", "system.events", "Mongo:EventsCollection must be a collection name")]
    [InlineData("Mongo:MemoriesCollection", "tasks", "Mongo:MemoriesCollection and Mongo:TasksCollection both name the collection 'tasks'")]
    public async Task WithTheMongoStoreItsKeysAreNamed(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Storage:Provider"] = "mongo", [key] = value });
        });

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task WithTheEmbeddedStoreTheMongoKeysAreNotRead()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Mongo:ConnectionString"] = "not a connection string" });

        Assert.IsType<DuckWorker.Sqlite.SqliteTaskStore>(worker.Tasks);
    }

    [Fact]
    public async Task EnvironmentVariablesWithTheDuckPrefixOverrideTheFile()
    {
        Environment.SetEnvironmentVariable("DUCK_Worker__MaxToolIterations", "7");
        try
        {
            await using var worker = await WorkerHarness.StartAsync();
            Assert.Equal(7, worker.Option<DuckWorker.Runtime.Loop.AgentLoopOptions>().MaxToolIterations);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DUCK_Worker__MaxToolIterations", null);
        }
    }
}
