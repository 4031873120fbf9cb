namespace DuckWorker.Policy.Syntax;

/// <summary>One piece of a shell word: literal text or something the shell expands.</summary>
internal abstract record WordPart;
