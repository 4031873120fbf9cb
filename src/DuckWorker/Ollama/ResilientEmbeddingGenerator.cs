using Microsoft.Extensions.AI;

namespace DuckWorker.Ollama;

/// <summary>Every embedding call through <see cref="ModelResilience"/>; like <see cref="ResilientChatClient"/>, it names the model in the metadata.</summary>
internal sealed class ResilientEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, ModelResilience resilience, string role, string model, Uri? server)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly EmbeddingGeneratorMetadata metadata = new("ollama", server, model);

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values as IReadOnlyCollection<string> ?? [.. values];
        return resilience.ExecuteAsync(role, options?.ModelId ?? model, token => base.GenerateAsync(inputs, options, token), cancellationToken);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata : base.GetService(serviceType, serviceKey);
}
