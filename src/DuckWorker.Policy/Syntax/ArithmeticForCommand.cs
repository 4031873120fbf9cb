namespace DuckWorker.Policy.Syntax;

/// <summary><c>for (( init; test; step )); do … done</c>.</summary>
internal sealed record ArithmeticForCommand(
    string Text,
    ShellWord Header,
    ShellScript Body,
    IReadOnlyList<ShellRedirection> Redirections) : ShellCommand(Redirections);
