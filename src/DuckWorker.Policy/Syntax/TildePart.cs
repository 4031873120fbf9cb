namespace DuckWorker.Policy.Syntax;

/// <summary>A tilde prefix the shell replaces with a home directory: <c>~</c> or <c>~user</c>.</summary>
internal sealed record TildePart(string User) : WordPart;
