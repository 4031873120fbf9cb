using DuckWorker.Runtime.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DuckWorker.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OTLP export of the worker's spans (job → model call → tool call, and RabbitMQ.Client's publish and
    /// deliver spans) and metrics, when <c>Otel:Endpoint</c> is set; nothing at all when it is not.
    /// </summary>
    public static IServiceCollection AddDuckTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(OtelOptions.Section).Get<OtelOptions>() ?? new OtelOptions();
        if (options.Endpoint is not { } endpoint)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(DuckTelemetry.Name, "RabbitMQ.Client.Publisher", "RabbitMQ.Client.Subscriber")
                .AddOtlpExporter(otlp => otlp.Endpoint = endpoint))
            .WithMetrics(metrics => metrics
                .AddMeter(DuckTelemetry.Name)
                .AddOtlpExporter(otlp => otlp.Endpoint = endpoint));
        return services;
    }
}
