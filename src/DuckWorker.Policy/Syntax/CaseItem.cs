namespace DuckWorker.Policy.Syntax;

/// <summary>One <c>pattern | pattern) list ;;</c> arm of a <c>case</c>.</summary>
internal sealed record CaseItem(IReadOnlyList<ShellWord> Patterns, ShellScript Body, string Terminator);
