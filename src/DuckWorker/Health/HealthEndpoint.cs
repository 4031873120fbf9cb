using System.Text.Json;
using DuckWorker.Diagnostics;
using DuckWorker.Hosting;
using DuckWorker.Runtime.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace DuckWorker.Health;

/// <summary>
/// Serves, on <c>Health:Port</c> with Kestrel, <c>GET /health/live</c> (the process answers), <c>GET /health/ready</c>
/// (the worker's health checks: 200, else 503 with each check's status and description) and <c>GET /metrics</c>
/// (the worker's meter in Prometheus text). Degraded (shell commands unconfined) is still ready: the worker serves,
/// and the body says why it is degraded. The worker stays a generic host; this small web application of its own
/// serves the worker's checks and meter, and is not started at all when the port is 0.
/// </summary>
internal sealed class HealthEndpoint(
    IServiceProvider worker,
    IOptions<HealthOptions> options,
    StartupFailure failure,
    IHostApplicationLifetime lifetime,
    ILogger<HealthEndpoint> logger) : IHostedService, IAsyncDisposable
{
    public const string ReadyPath = "/health/ready";
    public const string LivePath = "/health/live";
    public const string MetricsPath = "/metrics";

    private WebApplication? web;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = options.Value.Port;
        if (port == 0)
        {
            return;
        }

        // Its configuration is the worker's options, not the worker's command line or working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));

        // Its requests need no log; what goes wrong is reported here, in the worker's log.
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(worker.GetRequiredService<HealthCheckService>());
        web = builder.Build();
        web.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        web.MapHealthChecks(ReadyPath, new HealthCheckOptions { ResponseWriter = WriteAsync });
        web.MapPrometheusScrapingEndpoint(MetricsPath, worker.GetRequiredService<MeterProvider>(), configureBranchedPipeline: null, optionsName: null);
        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            failure.Report($"Health:Port {port} cannot be listened on: {ex.Message} Choose a free port, or 0 to turn the endpoint off.");
            lifetime.StopApplication();
            return;
        }

        logger.HealthListening(port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (web is not null)
        {
            await web.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (web is not null)
        {
            await web.DisposeAsync();
        }
    }

    /// <summary>The status, and each check's status and description: a person reading it learns what is down.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(
            context.Response.Body,
            new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            },
            cancellationToken: context.RequestAborted);
    }
}
