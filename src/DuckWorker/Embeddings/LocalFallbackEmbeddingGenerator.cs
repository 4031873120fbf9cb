using DuckWorker.Diagnostics;
using DuckWorker.Runtime.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Embeddings;

/// <summary>
/// Ollama's embedding generator until Ollama says it has no such model; from then on, for the rest of the
/// process, the in-process model, so that a fresh machine still recalls by meaning. The switch is logged once
/// and never undone while the process runs: its vectors stay of one kind.
/// </summary>
internal sealed class LocalFallbackEmbeddingGenerator(
    IEmbeddingGenerator<string, Embedding<float>> ollama,
    IEmbeddingGenerator<string, Embedding<float>> local,
    ILogger<LocalFallbackEmbeddingGenerator> logger) : DelegatingEmbeddingGenerator<string, Embedding<float>>(ollama)
{
    private int fellBack;

    private bool FellBack => Volatile.Read(ref fellBack) == 1;

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (FellBack)
        {
            return await local.GenerateAsync(values, options, cancellationToken);
        }

        var texts = values as IReadOnlyCollection<string> ?? [.. values];
        try
        {
            return await base.GenerateAsync(texts, options, cancellationToken);
        }
        catch (ModelNotFoundException missing)
        {
            if (Interlocked.Exchange(ref fellBack, 1) == 0)
            {
                logger.EmbeddingFallsBackToLocal(missing.Model, LocalEmbeddingGenerator.ModelId);
            }

            return await local.GenerateAsync(texts, options, cancellationToken);
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        FellBack && serviceType == typeof(EmbeddingGeneratorMetadata) ? local.GetService(serviceType, serviceKey) : base.GetService(serviceType, serviceKey);
}
