using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Storage;

public sealed class TheWorkerAndDuckShareOneDefaultStore(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-data-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DuckStartedElsewhereListsTheTaskOfTheWorker()
    {
        broker.SkipIfUnavailable();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Fallback = Replies.Answering;
        var names = broker.UniqueNames();
        var environment = WorkerEnvironment.For(broker.Uri!, names, ollama.BaseUrl, folder, WorkerHarness.Models);
        environment.Remove("DUCK_Sqlite__Path");
        environment.Remove("DUCK_Tools__WorkspaceRoot");
        environment["XDG_DATA_HOME"] = Path.Join(folder, "data");
        environment["HOME"] = Path.Join(folder, "home");
        var workerFolder = Directory.CreateDirectory(Path.Join(folder, "worker")).FullName;
        var duckFolder = Directory.CreateDirectory(Path.Join(folder, "elsewhere")).FullName;

        await using (var worker = WorkerProcess.Start(workerFolder, environment))
        {
            await worker.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);
            await broker.PublishAsync(names.Jobs, """{"jobId": "shared-store", "message": "hello", "reflect": false}""", "duck.chat.v1", Ct);

            var started = TimeProvider.System.GetTimestamp();
            string listed;
            do
            {
                await Task.Delay(200, Ct);
                var (exit, output, errors) = await DuckProcess.RunAsync(duckFolder, environment, Ct, "tasks", "list", "--status", "completed");
                Assert.True(exit == 0, errors);
                listed = output;
            }
            while (!listed.Contains("shared-store", StringComparison.Ordinal) && TimeProvider.System.GetElapsedTime(started) < Patience);

            Assert.Contains("shared-store", listed, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Join(folder, "data", "duckworker", "duckworker.db")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(duckFolder));
        Assert.Empty(Directory.EnumerateFiles(workerFolder, "*.db", SearchOption.AllDirectories));
        await broker.DeleteAsync(names, Ct);
    }

    [Fact]
    public async Task ARelativeStorePathIsTakenFromTheCurrentDirectory()
    {
        var here = Directory.CreateDirectory(Path.Join(folder, "here")).FullName;
        var environment = new Dictionary<string, string>
        {
            ["XDG_DATA_HOME"] = Path.Join(folder, "data"),
            ["HOME"] = Path.Join(folder, "home"),
            ["DUCK_Sqlite__Path"] = Path.Join("stores", "mine.db"),
        };

        var (exit, _, errors) = await DuckProcess.RunAsync(here, environment, Ct, "tasks", "list");

        Assert.True(exit == 0, errors);
        Assert.True(File.Exists(Path.Join(here, "stores", "mine.db")));
        Assert.False(File.Exists(Path.Join(folder, "data", "duckworker", "duckworker.db")));
    }

    [Fact]
    public async Task DuckHelpStatesTheRule()
    {
        var (exit, output, _) = await DuckWorker.Tests.Cli.Duck.RunAsync(new Dictionary<string, string?>(), "", "--help");

        Assert.Equal(0, exit);
        Assert.Contains("$XDG_DATA_HOME/duckworker (else ~/.local/share/duckworker)", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
