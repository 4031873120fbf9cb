namespace DuckWorker.Policy.Syntax;

/// <summary>
/// Literal characters. <paramref name="Quoted"/> text came from quotes or escapes, so glob and brace
/// characters in it are inert; unquoted text keeps its pattern meaning.
/// </summary>
internal sealed record LiteralPart(string Text, bool Quoted) : WordPart;
