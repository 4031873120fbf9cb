namespace DuckWorker.Runtime.Diagnostics;

/// <summary>
/// Why the worker stopped during its start, when the operator must fix something first (a busy health port, an unreachable store):
/// the service that found it stops the host gracefully instead of throwing through it (which logs a stack trace
/// of its own), and the program prints the reason in one line and exits 78.
/// </summary>
public sealed class StartupFailure
{
    public string? Reason { get; private set; }

    public void Report(string reason) => Reason ??= reason;
}
