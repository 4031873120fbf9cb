namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// The <c>Tools:Limits</c> section: resource limits (<c>ulimit</c>) every shell command and everything it
/// starts runs under, hard limits that the command cannot raise.
/// </summary>
public sealed class ShellLimits
{
    /// <summary>CPU seconds per process (RLIMIT_CPU).</summary>
    public int CpuSeconds { get; set; } = 120;

    /// <summary>Address space per process in MiB (RLIMIT_AS); runtimes such as node or dotnet reserve a lot of it.</summary>
    public int MemoryMegabytes { get; set; } = 4096;

    /// <summary>The largest file a process may write, in MiB (RLIMIT_FSIZE).</summary>
    public int FileMegabytes { get; set; } = 1024;

    /// <summary>
    /// Processes (threads included) of the user the command runs as (RLIMIT_NPROC). The kernel counts them per
    /// real user, the worker's own threads included when the command runs as the worker's user, and never
    /// enforces it for root.
    /// </summary>
    public int Processes { get; set; } = 512;
}
