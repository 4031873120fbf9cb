using System.Net;
using System.Text.Json;
using DuckWorker.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Health;

/// <summary>
/// Serves <c>GET /health/live</c> (the process answers) and <c>GET /health/ready</c> (broker connected, store
/// reachable, Ollama reachable: 200, else 503 with each check's status), for a container's health check.
/// Degraded (shell commands unconfined) is still ready: the worker serves, and the body says why it is degraded.
/// </summary>
internal sealed class HealthEndpoint(HealthCheckService checks, IOptions<HealthOptions> options, ILogger<HealthEndpoint> logger) : BackgroundService
{
    public const string ReadyPath = "/health/ready";
    public const string LivePath = "/health/live";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var port = options.Value.Port;
        if (port == 0)
        {
            return;
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://*:{port}/");
        listener.Start();
        logger.HealthListening(port);
        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await AnswerAsync(context, stoppingToken);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        response.ContentType = "application/json";
        switch (context.Request.Url?.AbsolutePath)
        {
            case LivePath:
                await response.OutputStream.WriteAsync("""{"status":"Healthy"}"""u8.ToArray(), cancellationToken);
                break;
            case ReadyPath:
                var report = await checks.CheckHealthAsync(cancellationToken);
                response.StatusCode = report.Status == HealthStatus.Unhealthy ? 503 : 200;
                await JsonSerializer.SerializeAsync(
                    response.OutputStream,
                    new
                    {
                        status = report.Status.ToString(),
                        checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                    },
                    cancellationToken: cancellationToken);
                break;
            default:
                response.StatusCode = 404;
                break;
        }
    }
}
