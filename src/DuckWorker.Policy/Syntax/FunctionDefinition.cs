namespace DuckWorker.Policy.Syntax;

/// <summary><c>name() body</c> or <c>function name body</c>.</summary>
internal sealed record FunctionDefinition(string Name, ShellCommand Body, IReadOnlyList<ShellRedirection> Redirections)
    : ShellCommand(Redirections);
