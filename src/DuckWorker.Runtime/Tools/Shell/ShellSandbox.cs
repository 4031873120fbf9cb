using DuckWorker.Runtime.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// Decides once whether shell commands run in bubblewrap (<c>Tools:Sandbox</c>, probing bubblewrap for
/// <c>auto</c> and <c>required</c>) and says which in the log; the runner and the readiness check read it.
/// </summary>
public sealed class ShellSandbox
{
    private readonly Lazy<ShellConfinement> confinement;

    public ShellSandbox(IOptions<ToolsOptions> options, BubblewrapProbe probe, ILogger<ShellSandbox> logger) =>
        confinement = new(() =>
        {
            var decided = Decide(options.Value, probe);
            if (decided.Sandboxed)
            {
                logger.ShellSandboxed(options.Value.Sandbox, decided.Reason);
            }
            else
            {
                logger.ShellUnconfined(options.Value.Sandbox, decided.Reason);
            }

            if (decided.Sandboxed && Environment.IsPrivilegedProcess)
            {
                logger.ShellProcessLimitUnenforced();
            }

            return decided;
        });

    public ShellConfinement Confinement => confinement.Value;

    private static ShellConfinement Decide(ToolsOptions options, BubblewrapProbe probe)
    {
        var mode = options.SandboxMode;
        if (mode == SandboxMode.Off)
        {
            return new(false, false, "Tools:Sandbox is off: shell commands run unconfined, with only the command policy, the limits and a process group around them");
        }

        var probed = probe.Check(options.BubblewrapPath);
        return probed.Works
            ? new(true, false, $"every shell command runs in a bubblewrap sandbox: {probed.Reason}")
            : mode == SandboxMode.Required
                ? new(false, true, $"Tools:Sandbox is required but bubblewrap does not work: {probed.Reason}")
                : new(false, false, $"shell commands run UNCONFINED (Tools:Sandbox is auto and bubblewrap does not work: {probed.Reason}); install bubblewrap (apt-get install bubblewrap) to confine them");
    }
}
