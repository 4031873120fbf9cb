namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>The values of <c>Tools:Sandbox</c>: whether shell commands run inside bubblewrap.</summary>
public enum SandboxMode
{
    /// <summary>In bubblewrap where it works here, else unconfined, said loudly at start and in readiness.</summary>
    Auto,

    /// <summary>In bubblewrap, or the worker does not start.</summary>
    Required,

    /// <summary>Unconfined: only the policy, the environment allow-list, the limits and the process group stand.</summary>
    Off,
}
