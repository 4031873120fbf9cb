using DuckWorker.Runtime.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DuckWorker.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The worker's metrics for Prometheus (served at <c>/metrics</c> on <c>Health:Port</c>, named <c>duck_…</c>),
    /// and, when <c>Otel:Endpoint</c> is set, OTLP export of its spans (job → model call → tool call, and
    /// RabbitMQ.Client's publish and deliver spans) and metrics.
    /// </summary>
    public static IServiceCollection AddDuckTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<OtelOptions>().BindConfiguration(OtelOptions.Section);
        services.AddSingleton<IValidateOptions<OtelOptions>, OtelOptionsValidator>();
        var options = configuration.GetSection(OtelOptions.Section).Get<OtelOptions>() ?? new OtelOptions();

        // An endpoint the validator refuses stops the start; until then it is not used.
        var endpoint = options.Endpoint is { IsAbsoluteUri: true, Scheme: "http" or "https" } uri ? uri : null;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(DuckTelemetry.Name).AddPrometheusExporter();
                if (endpoint is not null)
                {
                    metrics.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }
            });
        if (endpoint is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(DuckTelemetry.Name, "RabbitMQ.Client.Publisher", "RabbitMQ.Client.Subscriber")
                .AddOtlpExporter(otlp => otlp.Endpoint = endpoint));
        }

        return services;
    }
}
