namespace DuckWorker.Policy.Syntax;

/// <summary><c>( list )</c>.</summary>
internal sealed record SubshellCommand(ShellScript Body, IReadOnlyList<ShellRedirection> Redirections)
    : ShellCommand(Redirections);
