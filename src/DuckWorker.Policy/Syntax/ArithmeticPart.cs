namespace DuckWorker.Policy.Syntax;

/// <summary>
/// An arithmetic expansion <c>$((…))</c>, or <c>$[…]</c> when <paramref name="Bracketed"/> (the two end differently,
/// so a rendering keeps the form). <paramref name="Text"/> is the raw expression; <paramref name="Expression"/> holds
/// it parsed as expandable text so substitutions inside are judged.
/// </summary>
internal sealed record ArithmeticPart(string Text, ShellWord Expression, bool Quoted, bool Bracketed = false) : WordPart;
