namespace DuckWorker.Policy.Syntax;

/// <summary><c>case WORD in … esac</c>.</summary>
internal sealed record CaseCommand(
    ShellWord Subject,
    IReadOnlyList<CaseItem> Items,
    IReadOnlyList<ShellRedirection> Redirections) : ShellCommand(Redirections);
