using DuckWorker.Runtime.Tools.Shell;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DuckWorker.Health;

/// <summary>
/// Degraded, with the reason, while shell commands run unconfined: the worker still serves, but what no
/// approval may cross is then held only by the command policy.
/// </summary>
internal sealed class SandboxHealthCheck(ShellSandbox sandbox) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var confinement = sandbox.Confinement;
        return Task.FromResult(confinement switch
        {
            { Sandboxed: true } => HealthCheckResult.Healthy(confinement.Reason),
            { Refused: true } => HealthCheckResult.Unhealthy(confinement.Reason),
            _ => HealthCheckResult.Degraded(confinement.Reason),
        });
    }
}
