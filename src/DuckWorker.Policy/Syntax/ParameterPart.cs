namespace DuckWorker.Policy.Syntax;

/// <summary>
/// A parameter expansion such as <c>$HOME</c> or <c>${X:-default}</c>. <paramref name="Source"/> is kept
/// verbatim because its value is only known at run time; <paramref name="Operand"/> is the word after an
/// operator (the default in <c>${X:-default}</c>), parsed so that substitutions inside it are judged too.
/// <paramref name="Subscript"/> is the text between the brackets of <c>${a[…]}</c>, parsed with quotes taken as
/// literal text: bash expands and evaluates a subscript, so <c>${a['$(cmd)']}</c> runs <c>cmd</c>.
/// </summary>
internal sealed record ParameterPart(
    string Name,
    string Operator,
    ShellWord? Operand,
    string Source,
    bool Quoted,
    bool Indirect,
    bool Length,
    ShellWord? Subscript = null) : WordPart
{
    /// <summary>True for <c>$NAME</c> written without braces, whose end depends on what follows it.</summary>
    public bool IsBareName => !Source.StartsWith("${", StringComparison.Ordinal)
        && Name.Length > 0 && (char.IsAsciiLetter(Name[0]) || Name[0] == '_');
}
