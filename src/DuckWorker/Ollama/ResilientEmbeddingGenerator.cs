using Microsoft.Extensions.AI;

namespace DuckWorker.Ollama;

/// <summary>Every embedding call through <see cref="ModelResilience"/>.</summary>
internal sealed class ResilientEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ModelResilience resilience)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyCollection<string> ?? [.. values];
        return resilience.ExecuteAsync(token => base.GenerateAsync(inputs, options, token), cancellationToken);
    }
}
