namespace DuckWorker.Policy.Syntax;

/// <summary><c>while … do … done</c>, or <c>until</c> when <paramref name="Until"/>.</summary>
internal sealed record LoopCommand(
    bool Until,
    ShellScript Condition,
    ShellScript Body,
    IReadOnlyList<ShellRedirection> Redirections) : ShellCommand(Redirections);
