using System.Text;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Syntax;

/// <summary>Redirections and assignments: the parts of a simple command that are not its words.</summary>
internal sealed partial class ShellParser
{
    private static readonly (string Token, RedirectionOperator Operator)[] RedirectionTokens =
    [
        ("&>>", RedirectionOperator.AppendOutputAndError),
        ("&>", RedirectionOperator.OutputAndError),
        ("<<<", RedirectionOperator.HereString),
        ("<<-", RedirectionOperator.HereDocument),
        ("<<", RedirectionOperator.HereDocument),
        ("<>", RedirectionOperator.ReadWrite),
        ("<&", RedirectionOperator.DuplicateInput),
        ("<", RedirectionOperator.Input),
        (">>", RedirectionOperator.Append),
        (">|", RedirectionOperator.Clobber),
        (">&", RedirectionOperator.DuplicateOutput),
        (">", RedirectionOperator.Output),
    ];

    private bool TryParseRedirection(out ShellRedirection redirection)
    {
        redirection = null!;
        var start = position;
        int? fd = null;
        string? fdVariable = null;

        var digitsEnd = position;
        while (digitsEnd < text.Length && char.IsAsciiDigit(text[digitsEnd]))
        {
            digitsEnd++;
        }

        if (digitsEnd > position && digitsEnd < text.Length && text[digitsEnd] is '<' or '>')
        {
            fd = int.TryParse(text.AsSpan(position, digitsEnd - position), out var number) ? number : int.MaxValue;
            position = digitsEnd;
        }
        else if (!AtEnd && Current == '{')
        {
            var close = text.IndexOf('}', position);
            if (close > position + 1 && close + 1 < text.Length && text[close + 1] is '<' or '>'
                && IsIdentifier(text[(position + 1)..close]))
            {
                fdVariable = text[(position + 1)..close];
                position = close + 1;
            }
        }

        var match = RedirectionTokens.FirstOrDefault(candidate => LooksAt(candidate.Token));
        if (match.Token is null
            || ((fd is not null || fdVariable is not null) && match.Token[0] == '&')
            || (match.Token is "<" or ">" && position + 1 < text.Length && text[position + 1] == '('))
        {
            position = start;
            return false;
        }

        position += match.Token.Length;
        SkipBlanks();
        if (!AtWordStart())
        {
            problems.Add($"`{match.Token}` has no target");
            redirection = new ShellRedirection(fd, fdVariable, match.Operator, new ShellWord([]), null);
            return true;
        }

        var target = ReadWord(regexMode: false);
        HereDocument? hereDocument = null;
        if (match.Operator == RedirectionOperator.HereDocument)
        {
            hereDocument = new HereDocument(DelimiterText(target), target.HasQuoting);
            pendingHereDocuments.Add((hereDocument, match.Token == "<<-"));
        }
        else
        {
            target = Tilde.Expand(target);
        }

        redirection = new ShellRedirection(fd, fdVariable, match.Operator, target, hereDocument);
        return true;
    }

    /// <summary>The delimiter a here-document body must end with: the word after quote removal, unexpanded.</summary>
    private string DelimiterText(ShellWord word)
    {
        var delimiter = new StringBuilder();
        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case LiteralPart literal:
                    delimiter.Append(literal.Text);
                    break;
                case ParameterPart parameter:
                    delimiter.Append(parameter.Source);
                    break;
                default:
                    problems.Add("a here-document delimiter contains a substitution");
                    break;
            }
        }

        return delimiter.ToString();
    }

    private static bool IsIdentifier(string candidate) =>
        candidate.Length > 0 && (char.IsAsciiLetter(candidate[0]) || candidate[0] == '_')
        && candidate.All(character => char.IsAsciiLetterOrDigit(character) || character == '_');

    /// <summary>
    /// Splits <c>NAME=value</c>, <c>NAME+=value</c> and <c>NAME[sub]=value</c> into an assignment; a word whose
    /// name part is quoted (<c>"X"=1</c>) is an ordinary word, as in bash.
    /// </summary>
    private static bool TrySplitAssignment(ShellWord word, out ShellAssignment assignment)
    {
        assignment = null!;
        if (word.Parts.Count == 0 || word.Parts[0] is not LiteralPart { Quoted: false } first)
        {
            return false;
        }

        var nameLength = 0;
        while (nameLength < first.Text.Length
            && (char.IsAsciiLetter(first.Text[nameLength]) || first.Text[nameLength] == '_'
                || (nameLength > 0 && char.IsAsciiDigit(first.Text[nameLength]))))
        {
            nameLength++;
        }

        if (nameLength == 0 || nameLength == first.Text.Length)
        {
            return false;
        }

        var name = first.Text[..nameLength];
        int operatorIndex;
        var partIndex = 0;
        if (first.Text[nameLength] == '[')
        {
            (partIndex, operatorIndex) = FindSubscriptEnd(word, nameLength);
            if (operatorIndex < 0)
            {
                return false;
            }
        }
        else
        {
            operatorIndex = nameLength;
        }

        var operatorText = ((LiteralPart)word.Parts[partIndex]).Text;
        var append = operatorText[operatorIndex] == '+';
        if (append && (operatorIndex + 1 >= operatorText.Length || operatorText[operatorIndex + 1] != '='))
        {
            return false;
        }

        if (!append && operatorText[operatorIndex] != '=')
        {
            return false;
        }

        var valueStart = operatorIndex + (append ? 2 : 1);
        var target = Slice(word, 0, 0, partIndex, operatorIndex);
        var value = Slice(word, partIndex, valueStart, word.Parts.Count, 0);
        assignment = new ShellAssignment(name, target, append, Tilde.ExpandInAssignment(value), null);
        return true;
    }

    /// <summary>Where <c>]=</c> or <c>]+=</c> ends a subscript: the part and the index of the operator in it.</summary>
    private static (int Part, int Index) FindSubscriptEnd(ShellWord word, int from)
    {
        for (var partIndex = 0; partIndex < word.Parts.Count; partIndex++)
        {
            if (word.Parts[partIndex] is not LiteralPart { Quoted: false } literal)
            {
                continue;
            }

            var start = partIndex == 0 ? from : 0;
            for (var index = literal.Text.IndexOf(']', start); index >= 0; index = literal.Text.IndexOf(']', index + 1))
            {
                var after = literal.Text.AsSpan(index + 1);
                if (after.StartsWith("=") || after.StartsWith("+="))
                {
                    return (partIndex, index + 1);
                }
            }
        }

        return (0, -1);
    }

    /// <summary>The parts of <paramref name="word"/> from (part, index) up to, not including, (part, index).</summary>
    private static ShellWord Slice(ShellWord word, int fromPart, int fromIndex, int toPart, int toIndex)
    {
        var parts = new List<WordPart>();
        for (var partIndex = fromPart; partIndex <= toPart && partIndex < word.Parts.Count; partIndex++)
        {
            var part = word.Parts[partIndex];
            if (part is LiteralPart literal)
            {
                var start = partIndex == fromPart ? fromIndex : 0;
                var end = partIndex == toPart ? toIndex : literal.Text.Length;
                if (end > start)
                {
                    parts.Add(literal with { Text = literal.Text[start..end] });
                }
                else if (literal.Quoted && literal.Text.Length == 0 && partIndex != toPart)
                {
                    parts.Add(literal);
                }
            }
            else if (partIndex != toPart)
            {
                parts.Add(part);
            }
        }

        return new ShellWord(parts);
    }
}
