namespace DuckWorker.Policy.Syntax;

/// <summary>A process substitution, <c>&lt;(…)</c> or <c>&gt;(…)</c>: the body runs and the word becomes a pipe's path.</summary>
internal sealed record ProcessSubstitutionPart(ShellScript Body, bool Output) : WordPart;
