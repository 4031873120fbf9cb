using DuckWorker.Ollama;
using DuckWorker.Runtime;
using DuckWorker.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DuckWorker.Hosting;

public static class DuckWorkerHostBuilderExtensions
{
    /// <summary>Configuration prefix of DESIGN.md section 6: <c>DUCK_Worker__Concurrency</c> sets <c>Worker:Concurrency</c>.</summary>
    public const string EnvironmentPrefix = "DUCK_";

    /// <summary>The whole worker: configuration, options validated at start, the store, the runtime and the Ollama model roles.</summary>
    public static HostApplicationBuilder AddDuckWorker(this HostApplicationBuilder builder)
    {
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Services.AddOptionsWithValidateOnStart<WorkerOptions, WorkerOptionsValidator>().BindConfiguration(WorkerOptions.Section);
        builder.Services
            .AddDuckStorage(builder.Configuration)
            .AddDuckRuntime()
            .AddDuckOllama();
        return builder;
    }
}
