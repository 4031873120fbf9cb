using DuckWorker.Ollama;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OllamaSharp;

namespace DuckWorker.Health;

/// <summary>Ready while Ollama answers <c>/api/version</c> within a few seconds and has every configured model.</summary>
internal sealed class OllamaHealthCheck(OllamaApiClient ollama, ModelInventory models, IOptions<OllamaOptions> options) : IHealthCheck
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Patience);
        try
        {
            var version = await ollama.GetVersionAsync(limit.Token);
            var missing = await models.FindMissingAsync(limit.Token);
            return missing.Count == 0
                ? HealthCheckResult.Healthy($"Ollama {version} answers at {options.Value.BaseUrl} and has every configured model.")
                : HealthCheckResult.Unhealthy($"Ollama at {options.Value.BaseUrl} lacks {string.Join("; ", missing)}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Ollama does not answer at {options.Value.BaseUrl} (Ollama:BaseUrl): {ex.Message}");
        }
    }
}
