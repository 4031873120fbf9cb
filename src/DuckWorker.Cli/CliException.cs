namespace DuckWorker.Cli;

/// <summary>A failure the user can act on: printed as it is, without a stack trace, with its exit code.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.UsageOrConnection) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
