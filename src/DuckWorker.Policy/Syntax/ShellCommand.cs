namespace DuckWorker.Policy.Syntax;

/// <summary>One command of a pipeline: simple or compound, with the redirections written after it.</summary>
internal abstract record ShellCommand(IReadOnlyList<ShellRedirection> Redirections);
