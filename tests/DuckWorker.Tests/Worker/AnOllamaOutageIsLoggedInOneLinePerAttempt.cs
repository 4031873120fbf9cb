using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Worker;

/// <summary>The worker's own console, as an operator reads it while Ollama is down.</summary>
public sealed class AnOllamaOutageIsLoggedInOneLinePerAttempt(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-outage-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachAttemptIsOneWarningWithoutAStackTrace()
    {
        broker.SkipIfUnavailable();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker ? OllamaReply.Error(503) : Replies.Answering(chat);
        var names = broker.UniqueNames();
        var environment = WorkerEnvironment.For(broker.Uri!, names, ollama.BaseUrl, folder, WorkerHarness.Models);
        environment["DUCK_Worker__MaxAttempts"] = "3";
        environment["DUCK_Worker__RequeueDelay"] = "00:00:00.010";
        environment["DUCK_Ollama__MaxRetries"] = "1";
        environment["DUCK_Ollama__RetryDelay"] = "00:00:00.010";
        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);

        await broker.PublishAsync(names.Jobs, """{"jobId": "down", "message": "hello?", "reflect": false}""", "duck.chat.v1", Ct);
        await worker.WaitForOutputAsync("(after 3 attempts)", Patience, Ct);

        var lines = worker.Output.Split('\n');
        var outage = lines.Where(l => l.Contains($"The thinker model ({WorkerHarness.Thinker}) is unavailable", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(3, outage.Count);
        Assert.Contains("attempt 1 of 3", outage[0], StringComparison.Ordinal);
        Assert.Contains("attempt 2 of 3", outage[1], StringComparison.Ordinal);
        Assert.Contains("failed", outage[2], StringComparison.Ordinal);
        Assert.All(outage, l => Assert.Contains("warn", l, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("Exception", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal) || l.Contains("End of stack trace", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
