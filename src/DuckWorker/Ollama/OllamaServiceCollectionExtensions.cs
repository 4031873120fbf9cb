using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OllamaSharp;

namespace DuckWorker.Ollama;

public static class OllamaServiceCollectionExtensions
{
    /// <summary>The Ollama embedding generator's key; the role's own key is <c>Memory:Embedder</c>'s choice.</summary>
    public const string EmbeddingKey = "ollama:" + ModelRoles.Embedding;

    /// <summary>
    /// One keyed <see cref="IChatClient"/> per chat model role and an embedding generator (<see cref="EmbeddingKey"/>), all on one
    /// <see cref="OllamaApiClient"/>: the role's model and options, a span, then a timeout and retries.
    /// </summary>
    public static IServiceCollection AddDuckOllama(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<OllamaOptions>().BindConfiguration(OllamaOptions.Section);
        services.AddSingleton<IValidateOptions<OllamaOptions>, OllamaOptionsValidator>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
            // Each attempt has its own timeout (Worker:ModelTimeout); HttpClient's 100 s default would cut long answers short.
            var http = new HttpClient { BaseAddress = options.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
            return new OllamaApiClient(http);
        });

        services.AddSingleton(provider =>
        {
            var ollama = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
            var worker = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            return new ModelResilience(worker.ModelTimeout, ollama.MaxRetries, ollama.RetryDelay, provider.GetRequiredService<TimeProvider>());
        });

        // The first added is outermost: the role's options first, so that the GenAI span names the model;
        // then one span per model call, retries included; then the retries with a timeout per attempt.
        // The span's logger is left out: it logs every failed call with its stack trace, while the loop
        // records and logs an outage once per attempt, in one line.
        foreach (var role in ModelRoles.Chat)
        {
            services.AddKeyedChatClient(role, provider => provider.GetRequiredService<OllamaApiClient>())
                .Use((inner, provider) => new ConfigureOptionsChatClient(inner, provider.GetRequiredService<IOptions<OllamaOptions>>().Value.Roles[role].ApplyTo))
                .UseOpenTelemetry(NullLoggerFactory.Instance, DuckTelemetry.Name)
                .Use((inner, provider) =>
                {
                    var ollama = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
                    return new ResilientChatClient(inner, provider.GetRequiredService<ModelResilience>(), role, ollama.Roles[role].Model, ollama.BaseUrl);
                });
        }

        services.AddKeyedEmbeddingGenerator(EmbeddingKey, provider => (IEmbeddingGenerator<string, Embedding<float>>)provider.GetRequiredService<OllamaApiClient>())
            .Use((inner, provider) =>
            {
                var settings = provider.GetRequiredService<IOptions<OllamaOptions>>().Value.Roles[ModelRoles.Embedding];
                return new ConfigureOptionsEmbeddingGenerator<string, Embedding<float>>(inner, options => options.ModelId ??= settings.Model);
            })
            .UseOpenTelemetry(NullLoggerFactory.Instance, DuckTelemetry.Name)
            .Use((inner, provider) =>
            {
                var ollama = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
                return new ResilientEmbeddingGenerator(inner, provider.GetRequiredService<ModelResilience>(), ModelRoles.Embedding, ollama.Roles[ModelRoles.Embedding].Model, ollama.BaseUrl);
            });

        return services;
    }
}
