using DuckWorker.Runtime.Memory;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Runtime.Models;

/// <summary>
/// The embedding role: text to a unit vector. Recall and storage go on without a vector when the model fails,
/// so a failure is a value with its reason, never an exception that could fail a task.
/// </summary>
public sealed class Embedder([FromKeyedServices(ModelRoles.Embedding)] IEmbeddingGenerator<string, Embedding<float>> generator)
{
    public async Task<(float[]? Vector, string? Error)> TryEmbedAsync(string text, CancellationToken cancellationToken)
    {
        try
        {
            var embeddings = await generator.GenerateAsync([text], cancellationToken: cancellationToken);
            var vector = embeddings.Count == 1 ? embeddings[0].Vector : ReadOnlyMemory<float>.Empty;
            return vector.IsEmpty
                ? (null, "The embedding model returned no vector.")
                : (Vectors.Normalize(vector.Span), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return (null, $"The embedding model failed: {ex.Message}");
        }
    }
}
