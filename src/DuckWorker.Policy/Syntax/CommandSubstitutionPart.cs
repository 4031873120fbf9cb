namespace DuckWorker.Policy.Syntax;

/// <summary>A command substitution, <c>$(…)</c> or backticks: the body runs and its output becomes text.</summary>
internal sealed record CommandSubstitutionPart(ShellScript Body, bool Quoted) : WordPart;
