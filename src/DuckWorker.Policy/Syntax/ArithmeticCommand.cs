namespace DuckWorker.Policy.Syntax;

/// <summary><c>(( expression ))</c>.</summary>
internal sealed record ArithmeticCommand(string Text, ShellWord Expression, IReadOnlyList<ShellRedirection> Redirections)
    : ShellCommand(Redirections);
