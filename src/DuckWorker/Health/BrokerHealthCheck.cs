using DuckWorker.RabbitMq;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DuckWorker.Health;

/// <summary>Ready only while the connection to the broker is open.</summary>
internal sealed class BrokerHealthCheck(RabbitMqConnection connection, IOptions<RabbitMqOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsConnected
            ? HealthCheckResult.Healthy($"Connected to {options.Value.SafeUri}.")
            : HealthCheckResult.Unhealthy($"No connection to {options.Value.SafeUri} (RabbitMq:Uri)."));
}
