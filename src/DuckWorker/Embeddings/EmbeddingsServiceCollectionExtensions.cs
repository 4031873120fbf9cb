using DuckWorker.Ollama;
using DuckWorker.Runtime.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// The embedding role's generator, as <c>Memory:Embedder</c> says: Ollama's (registered by
    /// <see cref="OllamaServiceCollectionExtensions.AddDuckOllama"/>), which falls back to the in-process model
    /// when Ollama lacks the configured one, or the in-process model alone.
    /// </summary>
    public static IServiceCollection AddDuckEmbeddings(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<EmbedderOptions>().BindConfiguration(EmbedderOptions.Section);
        services.AddSingleton<IValidateOptions<EmbedderOptions>, EmbedderOptionsValidator>();
        services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(ModelRoles.Embedding, (provider, _) =>
            provider.GetRequiredService<IOptions<EmbedderOptions>>().Value.IsLocal
                ? new LocalEmbeddingGenerator()
                : new LocalFallbackEmbeddingGenerator(
                    provider.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(OllamaServiceCollectionExtensions.EmbeddingKey),
                    new LocalEmbeddingGenerator(),
                    provider.GetRequiredService<ILogger<LocalFallbackEmbeddingGenerator>>()));
        return services;
    }
}
