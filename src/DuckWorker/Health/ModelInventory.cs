using DuckWorker.Embeddings;
using DuckWorker.Ollama;
using DuckWorker.Runtime.Models;
using Microsoft.Extensions.Options;
using OllamaSharp;

namespace DuckWorker.Health;

/// <summary>
/// Which configured models Ollama lacks (<c>GET /api/tags</c>): the most likely first-run error with a real Ollama,
/// found before a task fails on it with a bare 404.
/// </summary>
internal sealed class ModelInventory(OllamaApiClient ollama, IOptions<OllamaOptions> options, IOptions<EmbedderOptions> embedder)
{
    /// <summary>
    /// The missing models, each with the roles that use it, in the order of the roles; the embedding role's model
    /// only while Ollama embeds (<c>Memory:Embedder</c>).
    /// </summary>
    public async Task<IReadOnlyList<MissingModel>> FindMissingAsync(CancellationToken cancellationToken)
    {
        var installed = (await ollama.ListLocalModelsAsync(cancellationToken)).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return [.. options.Value.Roles
            .Where(role => !string.IsNullOrWhiteSpace(role.Value.Model))
            .Where(role => role.Key != ModelRoles.Embedding || !embedder.Value.IsLocal)
            .GroupBy(role => role.Value.Model, StringComparer.Ordinal)
            .Where(model => !IsInstalled(installed, model.Key))
            .Select(model => new MissingModel(model.Key, [.. model.Select(role => role.Key)]))];
    }

    // Ollama names a model pulled without a tag "<name>:latest".
    private static bool IsInstalled(HashSet<string> installed, string model) =>
        installed.Contains(model) || (!model.Contains(':', StringComparison.Ordinal) && installed.Contains(model + ":latest"));
}
