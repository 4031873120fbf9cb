namespace DuckWorker.Policy.Syntax;

/// <summary><c>{ list; }</c>.</summary>
internal sealed record BraceGroupCommand(ShellScript Body, IReadOnlyList<ShellRedirection> Redirections)
    : ShellCommand(Redirections);
