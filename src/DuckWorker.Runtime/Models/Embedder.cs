using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Runtime.Models;

/// <summary>
/// The embedding role: text to a unit vector. Recall and storage go on without a vector when the model fails,
/// so a failure is a value with its reason, never an exception that could fail a task. Every answered call
/// goes to the <see cref="ModelCallRecorder"/>.
/// </summary>
public sealed class Embedder(
    [FromKeyedServices(ModelRoles.Embedding)] IEmbeddingGenerator<string, Embedding<float>> generator,
    ModelCallRecorder recorder,
    TimeProvider time)
{
    /// <summary>
    /// The embedder that makes the vectors now (<see cref="EmbedderName"/>), as its generator describes itself:
    /// after Ollama's has fallen back to the in-process model, that model's. The fallback is never undone, so
    /// a name read after a call names the embedder of its vector.
    /// </summary>
    public string Name
    {
        get
        {
            var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
            return EmbedderName.Of(metadata?.ProviderName, metadata?.DefaultModelId);
        }
    }

    public async Task<(float[]? Vector, string? Error)> TryEmbedAsync(string text, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await generator.GenerateAsync([text], cancellationToken: cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ModelNotFoundException ex)
        {
            return (null, ex.Message);
        }
        catch (Exception ex)
        {
            return (null, $"The embedding model failed: {ModelGateway.OneLine(ex.Message)}");
        }

        // Outside the try: a log that cannot be written is the store's failure, not the model's.
        var tokens = embeddings.Usage?.InputTokenCount;
        await recorder.FinishedAsync(
            new ModelCall(
                ModelRoles.Embedding,
                generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId,
                (long)time.GetElapsedTime(started).TotalMilliseconds,
                tokens,
                null,
                embeddings.Usage?.TotalTokenCount ?? tokens,
                Texts: 1),
            cancellationToken);
        var vector = embeddings.Count == 1 ? embeddings[0].Vector : ReadOnlyMemory<float>.Empty;
        return vector.IsEmpty
            ? (null, "The embedding model returned no vector.")
            : (Vectors.Normalize(vector.Span), null);
    }
}
