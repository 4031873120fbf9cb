namespace DuckWorker.Policy.Syntax;

/// <summary>
/// Commands joined by <c>|</c>; <paramref name="StderrPipes"/>[i] tells whether the pipe after command i is
/// <c>|&amp;</c>.
/// </summary>
internal sealed record ShellPipeline(
    IReadOnlyList<ShellCommand> Commands,
    IReadOnlyList<bool> StderrPipes,
    bool Negated,
    bool Timed);
