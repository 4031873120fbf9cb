using System.Net;
using System.Text.Json;
using DuckWorker.Health;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Worker;

public sealed class TheWorkerReportsItsReadiness(BrokerFixture broker)
{
    private static readonly string[] AllModels = [.. WorkerHarness.Models.Select(m => m.Model)];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);


    [Fact]
    public async Task ReadyNeedsTheBrokerTheStoreAndOllama()
    {
        var port = FreePort.Next();
        var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Models = AllModels;
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Health:Port"] = Port(port) }, ollama: ollama);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative), Ct);
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        var healthy = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["broker", "ollama", "sandbox", "store"], healthy.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
        Assert.All(healthy.GetProperty("checks").EnumerateObject().Where(c => c.Name != "sandbox"), c => Assert.Equal("Healthy", c.Value.GetProperty("status").GetString()));
        Assert.Equal(0, await HealthProbe.RunAsync(port));

        await ollama.DisposeAsync();
        using var notReady = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        var report = JsonDocument.Parse(await notReady.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("checks");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        Assert.Equal("Unhealthy", report.GetProperty("ollama").GetProperty("status").GetString());
        Assert.Contains("Ollama:BaseUrl", report.GetProperty("ollama").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", report.GetProperty("broker").GetProperty("status").GetString());
        Assert.Equal(1, await HealthProbe.RunAsync(port));
    }

    [Fact]
    public async Task UnconfinedShellCommandsLeaveTheWorkerReadyButDegradedWithTheReason()
    {
        var port = FreePort.Next();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Models = AllModels;
        await using var worker = await WorkerHarness.RunAsync(
            broker,
            new Dictionary<string, string?> { ["Health:Port"] = Port(port), ["Tools:Sandbox"] = "auto", ["Tools:BubblewrapPath"] = "/nonexistent/bwrap" },
            ollama: ollama);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", report.GetProperty("status").GetString());
        var sandbox = report.GetProperty("checks").GetProperty("sandbox");
        Assert.Equal("Degraded", sandbox.GetProperty("status").GetString());
        Assert.Contains("UNCONFINED", sandbox.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("apt-get install bubblewrap", sandbox.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AModelOllamaLacksMakesTheWorkerNotReadyAndSaysWhatToPull()
    {
        var port = FreePort.Next();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Models = [.. AllModels.Where(m => m != WorkerHarness.Critic && m != "embedding-model"), "embedding-model:latest"];
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Health:Port"] = Port(port) }, ollama: ollama);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), Ct);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        var check = report.GetProperty("checks").GetProperty("ollama");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        var description = check.GetProperty("description").GetString()!;
        Assert.Contains($"{WorkerHarness.Critic} (Ollama:Roles:critic:Model): run 'ollama pull {WorkerHarness.Critic}'", description, StringComparison.Ordinal);
        Assert.DoesNotContain("embedding-model", description, StringComparison.Ordinal);
        Assert.DoesNotContain(WorkerHarness.Thinker, description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsAreServedAsPrometheusTextOnTheSamePort()
    {
        var port = FreePort.Next();
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Health:Port"] = Port(port) });
        worker.Ollama.Fallback = Replies.Answering;
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "measured", "message": "count me", "reflect": false}""", "duck.chat.v1", Ct);
        await finished.WaitForAsync(_ => true, TimeSpan.FromSeconds(30), Ct);

        // The job is counted once it is settled, just after its outcome is announced, and the exporter serves a
        // scrape from its cache for a moment: ask until the count shows, as a scraper would at its next turn.
        var deadline = TimeProvider.System.GetTimestamp();
        string text;
        HttpResponseMessage metrics;
        while (true)
        {
            metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), Ct);
            text = await metrics.Content.ReadAsStringAsync(Ct);
            if (text.Contains("# TYPE duck_jobs_completed_total counter", StringComparison.Ordinal) || TimeProvider.System.GetElapsedTime(deadline) > TimeSpan.FromSeconds(30))
            {
                break;
            }

            metrics.Dispose();
            await Task.Delay(100, Ct);
        }

        using var scraped = metrics;
        Assert.Equal(HttpStatusCode.OK, scraped.StatusCode);
        Assert.StartsWith("text/plain", scraped.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("# TYPE duck_jobs_completed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("duck_job_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("duck_model_duration_seconds", text, StringComparison.Ordinal);
    }
}
