namespace DuckWorker.Policy.Syntax;

/// <summary>Leading assignments, the command's words, and its redirections (kept in source order).</summary>
internal sealed record SimpleCommand(
    IReadOnlyList<ShellAssignment> Assignments,
    IReadOnlyList<ShellWord> Words,
    IReadOnlyList<ShellRedirection> Redirections) : ShellCommand(Redirections);
