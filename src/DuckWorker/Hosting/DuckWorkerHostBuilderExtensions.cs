using DuckWorker.Approvals;
using DuckWorker.Embeddings;
using DuckWorker.Health;
using DuckWorker.Jobs;
using DuckWorker.Ollama;
using DuckWorker.RabbitMq;
using DuckWorker.Runtime;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Storage;
using DuckWorker.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

public static class DuckWorkerHostBuilderExtensions
{
    /// <summary>Configuration prefix of docs/configuration.md: <c>DUCK_Worker__Concurrency</c> sets <c>Worker:Concurrency</c>.</summary>
    public const string EnvironmentPrefix = "DUCK_";

    /// <summary>
    /// The agent without a broker: configuration (with the <c>DUCK_</c> environment variables), options
    /// validated at start, the store, the runtime and the Ollama model roles. <c>duck run</c> works offline on it.
    /// </summary>
    public static HostApplicationBuilder AddDuckAgent(this HostApplicationBuilder builder)
    {
        // Under every other source: any file, variable or argument that sets them wins.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DataFolder.Defaults() });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Services.Replace(ServiceDescriptor.Transient(typeof(IOptionsFactory<>), typeof(ValueConversionReportingOptionsFactory<>)));
        builder.Services.AddOptionsWithValidateOnStart<WorkerOptions, WorkerOptionsValidator>().BindConfiguration(WorkerOptions.Section);
        builder.Services
            .AddDuckStorage(builder.Configuration)
            .AddDuckRuntime()
            .AddDuckOllama()
            .AddDuckEmbeddings();
        return builder;
    }

    /// <summary>
    /// The whole worker: the agent, the broker, and the hosted consumers of jobs and decisions with the lease
    /// sweeper and the health endpoint.
    /// </summary>
    public static HostApplicationBuilder AddDuckWorker(this HostApplicationBuilder builder)
    {
        builder.AddDuckAgent();
        builder.Services
            .AddDuckRabbitMq()
            .AddDuckTelemetry(builder.Configuration);

        builder.Services.AddHostedService<ShellSandboxAnnouncement>();
        builder.Services.AddSingleton<ModelInventory>();
        builder.Services.AddHostedService<StartupReport>();
        builder.Services.AddHostedService<ReembedReminder>();
        builder.Services.AddDuckRecallWarmUp(builder.Configuration);
        builder.Services.AddSingleton<JobProcessor>();
        builder.Services.AddSingleton<JobsHandler>();
        builder.Services.AddSingleton<DecisionsHandler>();
        builder.Services.AddHostedService<JobsWorker>();
        builder.Services.AddHostedService<DecisionsWorker>();
        builder.Services.AddHostedService<LeaseSweeper>();
        builder.Services.AddOptionsWithValidateOnStart<ApprovalsOptions>().BindConfiguration(ApprovalsOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<ApprovalsOptions>, ApprovalsOptionsValidator>();
        builder.Services.AddSingleton<ApprovalExpirySweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ApprovalExpirySweeper>());

        builder.Services.AddOptionsWithValidateOnStart<HealthOptions>().BindConfiguration(HealthOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        builder.Services.AddHealthChecks()
            .AddCheck<BrokerHealthCheck>("broker")
            .AddCheck<StoreHealthCheck>("store")
            .AddCheck<OllamaHealthCheck>("ollama")
            .AddCheck<SandboxHealthCheck>("sandbox");

        // The library logs an error for every unhealthy answer, and a probe asks every few seconds: an outage
        // would fill the log with one line per poll. The answer itself names what is down, and the worker says
        // it in its own words when a job meets it.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Critical);
        builder.Services.TryAddSingleton<StartupFailure>();
        builder.Services.AddHostedService<HealthEndpoint>();

        // The host waits for the consumers to drain: their own limit, plus time to hand the rest back.
        var shutdown = builder.Configuration.GetSection(WorkerOptions.Section).GetValue<TimeSpan?>(nameof(WorkerOptions.ShutdownTimeout)) ?? new WorkerOptions().ShutdownTimeout;
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown + TimeSpan.FromSeconds(20));
        return builder;
    }
}
