namespace DuckWorker.Cli;

/// <summary>The exit codes of <c>duck</c>.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A task the command waited for failed.</summary>
    public const int TaskFailed = 1;

    /// <summary>Bad arguments, or the broker, the store or Ollama could not be reached.</summary>
    public const int UsageOrConnection = 2;

    /// <summary>A setting is invalid: one line per wrong key, naming it (sysexits.h's <c>EX_CONFIG</c>, as the worker).</summary>
    public const int Configuration = DuckWorker.Hosting.ConfigurationErrors.ExitCode;

    /// <summary>Ctrl+C or SIGTERM ended the command (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
