using System.Net;
using System.Net.Sockets;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Worker;

/// <summary>The worker as its own process: what it says about itself before, instead of, and as it starts.</summary>
public sealed class TheWorkerExplainsItselfAtTheCommandLine(BrokerFixture broker) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-cmdline-").FullName;
    private OllamaTestServer ollama = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => ollama = await OllamaTestServer.StartAsync(Ct);

    [Fact]
    public async Task HelpPrintsTheUsageAndDoesNotStart()
    {
        await using var worker = WorkerProcess.Start(folder, Environment(), arguments: "--help");
        await worker.WaitForExitAsync(Ct);

        Assert.Equal(0, worker.ExitCode);
        Assert.Contains("Usage: DuckWorker", worker.Output, StringComparison.Ordinal);
        Assert.Contains("Storage:Provider", worker.Output, StringComparison.Ordinal);
        Assert.Contains("$XDG_DATA_HOME/duckworker (else ~/.local/share/duckworker)", worker.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Shell sandbox", worker.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public async Task VersionPrintsTheVersion()
    {
        await using var worker = WorkerProcess.Start(folder, Environment(), arguments: "--version");
        await worker.WaitForExitAsync(Ct);

        Assert.Equal(0, worker.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", worker.Output.Trim());
    }

    [Fact]
    public async Task EveryInvalidSettingIsOneLineNamingItsKeyAndTheExitCodeIs78()
    {
        var environment = Environment();
        environment["DUCK_Storage__Provider"] = "postgres";
        environment["DUCK_Worker__Concurrency"] = "-2";
        environment["DUCK_Ollama__BaseUrl"] = "localhost:11434";
        environment["DUCK_Health__Port"] = "70000";

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForExitAsync(Ct);

        Assert.Equal(78, worker.ExitCode);
        var lines = worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Contains("DuckWorker cannot start: Storage:Provider must be 'sqlite' (the embedded store, one file at Sqlite:Path) or 'mongo' (MongoDB at Mongo:ConnectionString); it is 'postgres'.", lines);
        Assert.Contains("DuckWorker cannot start: Worker:Concurrency must be between 1 and 64; it is -2.", lines);
        Assert.Contains("DuckWorker cannot start: Health:Port must be between 0 (off) and 65535; it is 70000.", lines);
        Assert.Single(lines, line => line.StartsWith("DuckWorker cannot start: Ollama:BaseUrl must be", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AValueOfTheWrongTypeIsOneLineNamingItsKey()
    {
        var environment = Environment();
        environment["DUCK_Worker__ShutdownTimeout"] = "half a minute";

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForExitAsync(Ct);

        Assert.Equal(78, worker.ExitCode);
        Assert.Equal("DuckWorker cannot start: Worker:ShutdownTimeout must be a duration such as 00:00:30; it is 'half a minute'.", worker.Output.Trim());
    }

    [Fact]
    public async Task ABusyHealthPortStopsTheWorkerInOneLine()
    {
        using var taken = new TcpListener(IPAddress.Any, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var environment = Environment();
        environment["DUCK_Health__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForExitAsync(Ct);

        Assert.Equal(78, worker.ExitCode);
        Assert.Contains($"DuckWorker cannot start: Health:Port {port} cannot be listened on", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableMongoDbStopsTheWorkerInOneLine()
    {
        var environment = Environment();
        environment["DUCK_Storage__Provider"] = "mongo";
        environment["DUCK_Mongo__ConnectionString"] = "mongodb://duck:hunter2@127.0.0.1:1/?serverSelectionTimeoutMS=500&connectTimeoutMS=500";

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForExitAsync(Ct);

        Assert.Equal(78, worker.ExitCode);
        Assert.Contains("DuckWorker cannot start: MongoDB at 127.0.0.1:1 does not answer; check Mongo:ConnectionString", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheStartSaysWhatItRunsWithAndWhichModelsOllamaLacks()
    {
        ollama.Models = [.. WorkerHarness.Models.Select(m => m.Model).Where(m => m != WorkerHarness.Action)];
        var environment = Environment();
        environment["DUCK_RabbitMq__Uri"] = "amqp://duck:s3cret-password@127.0.0.1:1/";

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync("lacks the model", Patience, Ct);

        var summary = Assert.Single(worker.Output.Split('\n'), line => line.Contains("Starting with store:", StringComparison.Ordinal));
        Assert.Contains($"store: sqlite, {Path.Join(folder, "duck.db")}; workspace root: {Path.Join(folder, "workspaces")};", summary, StringComparison.Ordinal);
        Assert.Contains($"thinker={WorkerHarness.Thinker}", summary, StringComparison.Ordinal);
        Assert.Contains("embedding=embedding-model", summary, StringComparison.Ordinal);
        Assert.Contains("broker: amqp://127.0.0.1:1/; health port: off; sandbox: ", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-password", worker.Output, StringComparison.Ordinal);
        var missing = Assert.Single(worker.Output.Split('\n'), line => line.Contains("lacks the model", StringComparison.Ordinal));
        Assert.Contains($"{WorkerHarness.Action} (Ollama:Roles:action:Model): run 'ollama pull {WorkerHarness.Action}'", missing, StringComparison.Ordinal);
        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task WithoutOllamaTheStartSaysTheModelsCouldNotBeChecked()
    {
        var environment = Environment();
        environment["DUCK_Ollama__BaseUrl"] = "http://127.0.0.1:1/";
        environment["DUCK_RabbitMq__Uri"] = "amqp://127.0.0.1:1/";

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync("The models could not be checked: Ollama does not answer at http://127.0.0.1:1/ (Ollama:BaseUrl)", Patience, Ct);

        Assert.False(worker.HasExited);
    }

    [Fact]
    public async Task EachLogScopeIsPrintedOnce()
    {
        broker.SkipIfUnavailable();
        ollama.Fallback = Replies.Answering;
        var names = broker.UniqueNames();
        var environment = WorkerEnvironment.For(broker.Uri!, names, ollama.BaseUrl, folder, WorkerHarness.Models);

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);
        await broker.PublishAsync(names.Jobs, """{"jobId": "scoped", "message": "hi", "reflect": false}""", "duck.chat.v1", Ct);
        await worker.WaitForOutputAsync("completed", Patience, Ct);

        var scoped = worker.Output.Split('\n').Where(line => line.Contains("JobId:scoped", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(scoped);
        Assert.All(scoped, line => Assert.True(CountOf(line, "JobId:") == 1, line));
        await broker.DeleteAsync(names, Ct);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private Dictionary<string, string> Environment()
    {
        var environment = WorkerEnvironment.For(new Uri("amqp://127.0.0.1:1/"), new BrokerNames("cmdline"), ollama.BaseUrl, folder, WorkerHarness.Models);
        environment["XDG_DATA_HOME"] = Path.Join(folder, "xdg");
        return environment;
    }

    public async ValueTask DisposeAsync()
    {
        await ollama.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
