namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>How a shell command ended.</summary>
/// <param name="ExitCode">The exit status; null when the command was killed for its timeout or never started.</param>
/// <param name="Output">Standard output, then standard error under a marker, capped.</param>
/// <param name="SandboxError">Why the sandbox did not run the command at all; null when it ran.</param>
public sealed record ShellExecution(int? ExitCode, string Output, bool Truncated, bool TimedOut, long DurationMs, string? SandboxError = null);
