using System.Text;

namespace DuckWorker.Policy.Syntax;

/// <summary>
/// Collects the parts of a word as the parser reads it, merging neighbouring literal characters that share
/// their quoting. An empty quoted string is kept as an empty quoted part: <c>if''</c> is a command named
/// <c>if</c>, not the keyword, and only the quoting says so.
/// </summary>
internal sealed class WordBuilder
{
    private readonly List<WordPart> parts = [];
    private readonly StringBuilder literal = new();
    private bool literalQuoted;
    private bool literalOpen;

    public bool IsEmpty => parts.Count == 0 && !literalOpen;

    public void AddChar(char character, bool quoted)
    {
        OpenLiteral(quoted);
        literal.Append(character);
    }

    public void AddText(string text, bool quoted)
    {
        OpenLiteral(quoted);
        literal.Append(text);
    }

    public void AddPart(WordPart part)
    {
        FlushLiteral();
        parts.Add(part);
    }

    public ShellWord Build()
    {
        FlushLiteral();

        // An empty quoted part matters only as a mark of quoting, and beside another quoted part (`"$(x)"`) it marks
        // nothing more. Beside unquoted text it stays: it keeps `""~/x` from tilde expansion, `""#x` from being a
        // comment and `a$''=b` from being an assignment.
        var kept = parts.Where((part, index) => part is not LiteralPart { Text.Length: 0 }
            || !((index > 0 && IsQuoted(parts[index - 1])) || (index + 1 < parts.Count && IsQuoted(parts[index + 1]))));
        return new ShellWord(kept.ToArray());
    }

    private static bool IsQuoted(WordPart part) => part switch
    {
        LiteralPart literal => literal.Quoted && literal.Text.Length > 0,
        ParameterPart parameter => parameter.Quoted,
        CommandSubstitutionPart substitution => substitution.Quoted,
        ArithmeticPart arithmetic => arithmetic.Quoted,
        _ => false,
    };

    private void OpenLiteral(bool quoted)
    {
        if (literalOpen && literalQuoted != quoted)
        {
            FlushLiteral();
        }

        literalOpen = true;
        literalQuoted = quoted;
    }

    private void FlushLiteral()
    {
        if (!literalOpen)
        {
            return;
        }

        parts.Add(new LiteralPart(literal.ToString(), literalQuoted));
        literal.Clear();
        literalOpen = false;
    }
}
