using System.Net;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// A readiness probe asks every few seconds. While Ollama is down, its answer says so; the worker's log must not
/// gain a line for every poll.
/// </summary>
public sealed class AnOutageIsNotLoggedOncePerHealthProbe(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-probe-log-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnhealthyAnswersLeaveTheLogAlone()
    {
        broker.SkipIfUnavailable();
        var names = broker.UniqueNames();
        var port = FreePort.Next();
        var environment = WorkerEnvironment.For(broker.Uri!, names, new Uri("http://127.0.0.1:1/"), folder, WorkerHarness.Models);
        environment["DUCK_Health__Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        for (var poll = 0; poll < 3; poll++)
        {
            using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        // A line logged after the polls: the console logs in order, so any line of theirs would be above it.
        await broker.PublishAsync(names.Jobs, "not json", "duck.chat.v1", Ct);
        await worker.WaitForOutputAsync("moved to the dead-letter queue", Patience, Ct);

        Assert.DoesNotContain("Health check", worker.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
