using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckWorker.Health;

/// <summary>Ready while the store answers a read.</summary>
internal sealed class StoreHealthCheck(ITaskStore tasks) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await tasks.GetAsync("health-probe", cancellationToken);
            return HealthCheckResult.Healthy("The store answers.");
        }
        catch (StoreUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
