using DuckWorker.Runtime.Tools.Shell;
using Microsoft.Extensions.Hosting;

namespace DuckWorker.Hosting;

/// <summary>
/// Decides at start, not at the first command, whether shell commands run in the sandbox, so that the log
/// says which (and why) before any job arrives.
/// </summary>
internal sealed class ShellSandboxAnnouncement(ShellSandbox sandbox) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = sandbox.Confinement;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
