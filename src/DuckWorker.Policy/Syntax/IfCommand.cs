namespace DuckWorker.Policy.Syntax;

/// <summary><c>if … then … elif … else … fi</c>.</summary>
internal sealed record IfCommand(
    IReadOnlyList<ConditionalBranch> Branches,
    ShellScript? ElseBody,
    IReadOnlyList<ShellRedirection> Redirections) : ShellCommand(Redirections);
