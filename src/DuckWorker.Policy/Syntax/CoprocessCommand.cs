namespace DuckWorker.Policy.Syntax;

/// <summary><c>coproc [NAME] command</c>: the command runs in the background.</summary>
internal sealed record CoprocessCommand(string? Name, ShellCommand Body, IReadOnlyList<ShellRedirection> Redirections)
    : ShellCommand(Redirections);
