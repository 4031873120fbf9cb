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
        var (vectors, error) = await TryEmbedAsync([text], cancellationToken);
        return (vectors?[0], error);
    }

    /// <summary>
    /// Unit vectors of <paramref name="texts"/> in one call to the model, in their order (all of them, or none and
    /// the reason): fewer round trips, and a model that computes them together.
    /// </summary>
    public async Task<(IReadOnlyList<float[]>? Vectors, string? Error)> TryEmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken);
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
                Texts: texts.Count),
            cancellationToken);
        if (embeddings.Count != texts.Count || embeddings.Any(e => e.Vector.IsEmpty))
        {
            return (null, texts.Count == 1
                ? "The embedding model returned no vector."
                : $"The embedding model returned {embeddings.Count(e => !e.Vector.IsEmpty)} vectors for {texts.Count} texts.");
        }

        return ([.. embeddings.Select(e => Vectors.Normalize(e.Vector.Span))], null);
    }
}
