using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using DuckWorker.Health;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

public sealed class TheWorkerReportsItsReadiness(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task ReadyNeedsTheBrokerTheStoreAndOllama()
    {
        var port = FreePort();
        var ollama = await OllamaTestServer.StartAsync(Ct);
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ollama: ollama);
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
        var port = FreePort();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        await using var worker = await WorkerHarness.RunAsync(
            broker,
            new Dictionary<string, string?> { ["Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Tools:Sandbox"] = "auto", ["Tools:BubblewrapPath"] = "/nonexistent/bwrap" },
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
}
