using System.Text;

namespace DuckWorker.Policy.Syntax;

/// <summary>One shell word as parsed: its parts in order, before any expansion.</summary>
internal sealed record ShellWord(IReadOnlyList<WordPart> Parts)
{
    /// <summary>The word's value when it is made of literal text only; null when anything in it expands.</summary>
    public string? LiteralValue
    {
        get
        {
            if (Parts.Count == 1 && Parts[0] is LiteralPart single)
            {
                return single.Text;
            }

            var text = new StringBuilder();
            foreach (var part in Parts)
            {
                if (part is not LiteralPart literal)
                {
                    return null;
                }

                text.Append(literal.Text);
            }

            return text.ToString();
        }
    }

    /// <summary>True when no character of the word was quoted or escaped.</summary>
    public bool IsUnquotedLiteral => Parts.All(part => part is LiteralPart { Quoted: false });

    /// <summary>True when some character of the word was quoted or escaped.</summary>
    public bool HasQuoting => Parts.Any(part => part switch
    {
        LiteralPart literal => literal.Quoted,
        ParameterPart parameter => parameter.Quoted,
        CommandSubstitutionPart substitution => substitution.Quoted,
        ArithmeticPart arithmetic => arithmetic.Quoted,
        _ => false,
    });
}
