using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Worker;

/// <summary>The worker as it runs (its own process, its console logger with one line per entry), fed ids that try to write lines of their own.</summary>
public sealed class TextFromAMessageCannotForgeALogLine(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-logs-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ANewlineOrAnEscapeInAJobIdOrAMessageIdIsWrittenEscapedOnTheLineOfItsEntry()
    {
        broker.SkipIfUnavailable();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Fallback = Replies.Answering;
        var names = broker.UniqueNames();
        await using var worker = WorkerProcess.Start(folder, Environment(broker.Uri!, names, ollama));
        await worker.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);

        await broker.PublishAsync(names.Jobs, """{"jobId": "a\nFAKE LOG LINE", "message": "hi", "reflect": false}""", "duck.chat.v1", Ct, messageId: "m\u001b[2J\nFAKE MESSAGE ID");
        await broker.PublishAsync(names.Jobs, """{"jobId": "after", "message": "hi", "reflect": false}""", "duck.chat.v1", Ct);
        await worker.WaitForOutputAsync("moved to the dead-letter queue", Patience, Ct);
        await worker.WaitForOutputAsync("completed", Patience, Ct);

        var lines = worker.Output.Split('\n');
        Assert.DoesNotContain(lines, line => line.StartsWith("FAKE", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', worker.Output);
        var entry = Assert.Single(lines, line => line.Contains("moved to the dead-letter queue", StringComparison.Ordinal));
        Assert.Contains("Message m\\x1b[2J\\nFAKE MESSAGE ID (duck.chat.v1)", entry, StringComparison.Ordinal);
        Assert.Contains("\"a\\nFAKE LOG LINE\"", entry, StringComparison.Ordinal);
        await broker.DeleteAsync(names, Ct);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private Dictionary<string, string> Environment(Uri brokerUri, BrokerNames names, OllamaTestServer ollama)
    {
        var environment = WorkerEnvironment.For(brokerUri, names, ollama.BaseUrl, folder, WorkerHarness.Models);
        environment["DUCK_Worker__ShutdownTimeout"] = "00:00:00.300";
        return environment;
    }
}
