using DuckWorker.Health;
using DuckWorker.Jobs;
using DuckWorker.Ollama;
using DuckWorker.RabbitMq;
using DuckWorker.Runtime;
using DuckWorker.Storage;
using DuckWorker.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

public static class DuckWorkerHostBuilderExtensions
{
    /// <summary>Configuration prefix of DESIGN.md section 6: <c>DUCK_Worker__Concurrency</c> sets <c>Worker:Concurrency</c>.</summary>
    public const string EnvironmentPrefix = "DUCK_";

    /// <summary>
    /// The whole worker: configuration, options validated at start, the store, the runtime, the Ollama model
    /// roles, the broker, and the hosted consumers of jobs and decisions with the lease sweeper.
    /// </summary>
    public static HostApplicationBuilder AddDuckWorker(this HostApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Services.AddOptionsWithValidateOnStart<WorkerOptions, WorkerOptionsValidator>().BindConfiguration(WorkerOptions.Section);
        builder.Services
            .AddDuckStorage(builder.Configuration)
            .AddDuckRuntime()
            .AddDuckOllama()
            .AddDuckRabbitMq()
            .AddDuckTelemetry(builder.Configuration);

        builder.Services.AddSingleton<JobProcessor>();
        builder.Services.AddSingleton<JobsHandler>();
        builder.Services.AddSingleton<DecisionsHandler>();
        builder.Services.AddHostedService<JobsWorker>();
        builder.Services.AddHostedService<DecisionsWorker>();
        builder.Services.AddHostedService<LeaseSweeper>();

        builder.Services.AddOptionsWithValidateOnStart<HealthOptions>().BindConfiguration(HealthOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        builder.Services.AddHealthChecks()
            .AddCheck<BrokerHealthCheck>("broker")
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<OllamaHealthCheck>("ollama");
        builder.Services.AddHostedService<HealthEndpoint>();

        // The host waits for the consumers to drain: their own limit, plus time to hand the rest back.
        var shutdown = builder.Configuration.GetSection(WorkerOptions.Section).GetValue<TimeSpan?>(nameof(WorkerOptions.ShutdownTimeout)) ?? new WorkerOptions().ShutdownTimeout;
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown + TimeSpan.FromSeconds(20));
        return builder;
    }
}
