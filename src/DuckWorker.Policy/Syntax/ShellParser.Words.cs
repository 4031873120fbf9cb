using System.Text;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Syntax;

/// <summary>Words: quoting, escapes, expansions and substitutions.</summary>
internal sealed partial class ShellParser
{
    /// <summary>
    /// Reads one word. In <paramref name="regexMode"/> (the right side of <c>=~</c> inside <c>[[ ]]</c>) parentheses,
    /// bars and angle brackets belong to the pattern and only blanks end the word.
    /// </summary>
    private ShellWord ReadWord(bool regexMode)
    {
        var builder = new WordBuilder();
        while (!AtEnd)
        {
            var character = Current;
            if (regexMode)
            {
                if (character is ' ' or '\t' or '\n')
                {
                    break;
                }

                if (character is '(' or ')' or '|' or '<' or '>' or '&' or ';')
                {
                    builder.AddChar(character, quoted: false);
                    position++;
                    continue;
                }
            }
            else if ((character is '<' or '>') && position + 1 < text.Length && text[position + 1] == '(')
            {
                builder.AddPart(ReadProcessSubstitution());
                continue;
            }
            else if (IsMetaCharacter(character))
            {
                break;
            }

            ReadWordCharacter(builder, insideDoubleQuotes: false);
        }

        return builder.Build();
    }

    /// <summary>Reads one character or quoted/expanded unit of an unquoted word.</summary>
    private void ReadWordCharacter(WordBuilder builder, bool insideDoubleQuotes)
    {
        switch (Current)
        {
            case '\\':
                if (position + 1 >= text.Length)
                {
                    builder.AddChar('\\', quoted: true);
                    position++;
                }
                else if (text[position + 1] == '\n')
                {
                    position += 2;
                }
                else
                {
                    builder.AddChar(text[position + 1], quoted: true);
                    position += 2;
                }

                break;
            case '\'':
                ReadSingleQuoted(builder);
                break;
            case '"':
                ReadDoubleQuoted(builder);
                break;
            case '$':
                ReadDollar(builder, insideDoubleQuotes);
                break;
            case '`':
                builder.AddPart(ReadBackquoted(insideDoubleQuotes));
                break;
            default:
                builder.AddChar(Current, quoted: false);
                position++;
                break;
        }
    }

    private void ReadSingleQuoted(WordBuilder builder)
    {
        position++;
        var end = text.IndexOf('\'', position);
        if (end < 0)
        {
            problems.Add("a single quote is not closed");
            builder.AddText(text[position..], quoted: true);
            position = text.Length;
            return;
        }

        builder.AddText(text[position..end], quoted: true);
        position = end + 1;
    }

    private void ReadDoubleQuoted(WordBuilder builder)
    {
        position++;
        builder.AddText("", quoted: true);
        while (true)
        {
            if (AtEnd)
            {
                problems.Add("a double quote is not closed");
                return;
            }

            var character = Current;
            if (character == '"')
            {
                position++;
                return;
            }

            if (character == '\\' && position + 1 < text.Length)
            {
                var next = text[position + 1];
                if (next is '$' or '`' or '"' or '\\')
                {
                    builder.AddChar(next, quoted: true);
                    position += 2;
                }
                else if (next == '\n')
                {
                    position += 2;
                }
                else
                {
                    builder.AddChar('\\', quoted: true);
                    position++;
                }
            }
            else if (character == '$')
            {
                ReadDollar(builder, insideDoubleQuotes: true);
            }
            else if (character == '`')
            {
                builder.AddPart(ReadBackquoted(insideDoubleQuotes: true));
            }
            else
            {
                builder.AddChar(character, quoted: true);
                position++;
            }
        }
    }

    private void ReadDollar(WordBuilder builder, bool insideDoubleQuotes)
    {
        if (position + 1 >= text.Length)
        {
            AddLoneDollar(builder, insideDoubleQuotes);
            return;
        }

        var next = text[position + 1];
        switch (next)
        {
            case '{':
                builder.AddPart(ReadBracedParameter(insideDoubleQuotes));
                return;
            case '(':
                builder.AddPart(position + 2 < text.Length && text[position + 2] == '(' && TryReadArithmetic(insideDoubleQuotes, out var arithmetic)
                    ? arithmetic
                    : ReadCommandSubstitution(insideDoubleQuotes));
                return;
            case '[':
                if (TryReadBracketArithmetic(insideDoubleQuotes, out var bracketArithmetic))
                {
                    builder.AddPart(bracketArithmetic);
                    return;
                }

                break;
            case '\'' when !insideDoubleQuotes:
                ReadAnsiCQuoted(builder);
                return;
            case '"' when !insideDoubleQuotes:
                position++;
                ReadDoubleQuoted(builder);
                return;
        }

        if (char.IsAsciiLetter(next) || next == '_')
        {
            var end = position + 1;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            var name = text[(position + 1)..end];
            builder.AddPart(new ParameterPart(name, "", null, "$" + name, insideDoubleQuotes, Indirect: false, Length: false));
            position = end;
            return;
        }

        if (char.IsAsciiDigit(next) || next is '@' or '*' or '#' or '?' or '-' or '$' or '!')
        {
            builder.AddPart(new ParameterPart(next.ToString(), "", null, "$" + next, insideDoubleQuotes, Indirect: false, Length: false));
            position += 2;
            return;
        }

        AddLoneDollar(builder, insideDoubleQuotes);
    }

    /// <summary>
    /// A dollar that starts no expansion is an ordinary character. Before an escape, a backquote or a bracket it is
    /// marked quoted, so that a rendering never glues it to what follows into <c>$'…'</c>, <c>$$</c> or <c>$[…]</c>; elsewhere it stays
    /// unquoted, where it matters (a regular expression's end anchor in <c>[[ x =~ a$ ]]</c>).
    /// </summary>
    private void AddLoneDollar(WordBuilder builder, bool insideDoubleQuotes)
    {
        var next = position + 1 < text.Length ? text[position + 1] : ' ';
        builder.AddChar('$', quoted: insideDoubleQuotes || next is '\\' or '`' or '[');
        position++;
    }

    private ParameterPart ReadBracedParameter(bool insideDoubleQuotes)
    {
        var start = position;
        position += 2;
        var end = FindClosingBrace(position);
        string inner;
        if (end < 0)
        {
            problems.Add("a `${` is not closed");
            inner = text[position..];
            position = text.Length;
        }
        else
        {
            inner = text[position..end];
            position = end + 1;
        }

        var source = text[start..position];
        return ParseParameterInside(inner, source, insideDoubleQuotes);
    }

    private ParameterPart ParseParameterInside(string inner, string source, bool insideDoubleQuotes)
    {
        var index = 0;
        var length = false;
        var indirect = false;
        if (inner.Length > 1 && inner[0] == '#' && !IsOperatorStart(inner, 1))
        {
            length = true;
            index = 1;
        }
        else if (inner.Length > 1 && inner[0] == '!')
        {
            indirect = true;
            index = 1;
        }

        var nameStart = index;
        if (index < inner.Length && (char.IsAsciiLetter(inner[index]) || inner[index] == '_'))
        {
            while (index < inner.Length && (char.IsAsciiLetterOrDigit(inner[index]) || inner[index] == '_'))
            {
                index++;
            }
        }
        else if (index < inner.Length && char.IsAsciiDigit(inner[index]))
        {
            while (index < inner.Length && char.IsAsciiDigit(inner[index]))
            {
                index++;
            }
        }
        else if (index < inner.Length && inner[index] is '@' or '*' or '#' or '?' or '-' or '$' or '!')
        {
            index++;
        }

        var name = inner[nameStart..index];
        if (name.Length == 0)
        {
            problems.Add($"bad substitution `{source}`");
        }

        ShellWord? subscript = null;
        if (index < inner.Length && inner[index] == '[')
        {
            var close = ClosingBracket(inner, index);
            subscript = CreateNested(inner[(index + 1)..(close < 0 ? inner.Length : close)]).ReadExpandableText(ExpandableTextMode.HereDocument);
            index = close < 0 ? inner.Length : close + 1;
        }

        var rest = inner[index..];
        var operatorText = ReadParameterOperator(rest);
        if (rest.Length > 0 && operatorText.Length == 0)
        {
            problems.Add($"bad substitution `{source}`");
        }

        var operandText = rest[operatorText.Length..];
        // The operand undergoes tilde expansion (`${F:-~/x}`); assuming so inside double quotes too is the stricter reading.
        var operand = operandText.Length == 0
            ? null
            : Tilde.Expand(CreateNested(operandText).ReadExpandableText(ExpandableTextMode.ParameterOperand));
        return new ParameterPart(name, operatorText, operand, source, insideDoubleQuotes, indirect, length, subscript);
    }

    /// <summary>The <c>]</c> that closes the subscript opened at <paramref name="open"/>, counting nested brackets (<c>a[b[1]]</c>).</summary>
    private static int ClosingBracket(string inner, int open)
    {
        var depth = 0;
        for (var index = open; index < inner.Length; index++)
        {
            if (inner[index] == '[')
            {
                depth++;
            }
            else if (inner[index] == ']' && --depth == 0)
            {
                return index;
            }
        }

        return -1;
    }

    private static bool IsOperatorStart(string inner, int index) => inner[index] is ':' or '-' or '=' or '?' or '+' or '%' or '/' or '}';

    private static string ReadParameterOperator(string rest)
    {
        string[] operators = [":-", ":=", ":?", ":+", "##", "%%", "//", "/#", "/%", "^^", ",,", "-", "=", "?", "+", "#", "%", "/", "^", ",", "@", ":"];
        foreach (var candidate in operators)
        {
            if (rest.StartsWith(candidate, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return "";
    }

    /// <summary>Finds the <c>}</c> that closes a <c>${</c>, skipping quotes and nested expansions.</summary>
    private int FindClosingBrace(int from)
    {
        var depth = 1;
        var index = from;
        while (index < text.Length)
        {
            var character = text[index];
            switch (character)
            {
                case '\\':
                    index += 2;
                    continue;
                case '\'':
                    var quoteEnd = text.IndexOf('\'', index + 1);
                    if (quoteEnd < 0)
                    {
                        return -1;
                    }

                    index = quoteEnd + 1;
                    continue;
                case '"':
                    index = SkipDoubleQuotedFrom(index);
                    continue;
                case '$' when index + 1 < text.Length && text[index + 1] == '{':
                    depth++;
                    index += 2;
                    continue;
                case '$' when index + 1 < text.Length && text[index + 1] == '(':
                    index = SkipParenthesesFrom(index + 1);
                    continue;
                case '}':
                    depth--;
                    if (depth == 0)
                    {
                        return index;
                    }

                    break;
            }

            index++;
        }

        return -1;
    }

    private int SkipDoubleQuotedFrom(int quoteIndex)
    {
        var index = quoteIndex + 1;
        while (index < text.Length && text[index] != '"')
        {
            index += text[index] == '\\' ? 2 : 1;
        }

        return Math.Min(index + 1, text.Length);
    }

    /// <summary>Skips a balanced <c>( … )</c> starting at <paramref name="openIndex"/>, respecting quotes.</summary>
    private int SkipParenthesesFrom(int openIndex)
    {
        var depth = 0;
        var index = openIndex;
        while (index < text.Length)
        {
            switch (text[index])
            {
                case '\\':
                    index += 2;
                    continue;
                case '\'':
                    var quoteEnd = text.IndexOf('\'', index + 1);
                    index = quoteEnd < 0 ? text.Length : quoteEnd + 1;
                    continue;
                case '"':
                    index = SkipDoubleQuotedFrom(index);
                    continue;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        return index + 1;
                    }

                    break;
            }

            index++;
        }

        return text.Length;
    }

    private CommandSubstitutionPart ReadCommandSubstitution(bool insideDoubleQuotes)
    {
        position += 2;
        var body = ParseListUntilCloseParen();
        return new CommandSubstitutionPart(body, insideDoubleQuotes);
    }

    private ProcessSubstitutionPart ReadProcessSubstitution()
    {
        var output = Current == '>';
        position += 2;
        var body = ParseListUntilCloseParen();
        return new ProcessSubstitutionPart(body, output);
    }

    /// <summary>Reads <c>$(( … ))</c>; false when the parentheses do not close as arithmetic, as in <c>$( (ls) )</c>.</summary>
    private bool TryReadArithmetic(bool insideDoubleQuotes, out WordPart part)
    {
        part = null!;
        var end = FindArithmeticEnd(position + 3);
        if (end < 0)
        {
            return false;
        }

        var expression = text[(position + 3)..end];
        position = end + 2;
        part = new ArithmeticPart(expression, CreateNested(expression).ReadExpandableText(ExpandableTextMode.HereDocument), insideDoubleQuotes);
        return true;
    }

    private bool TryReadBracketArithmetic(bool insideDoubleQuotes, out WordPart part)
    {
        part = null!;
        var end = text.IndexOf(']', position + 2);
        if (end < 0)
        {
            return false;
        }

        var expression = text[(position + 2)..end];
        position = end + 1;
        part = new ArithmeticPart(expression, CreateNested(expression).ReadExpandableText(ExpandableTextMode.HereDocument), insideDoubleQuotes, Bracketed: true);
        return true;
    }

    /// <summary>The index of the <c>))</c> that closes arithmetic starting at <paramref name="from"/>, or -1.</summary>
    private int FindArithmeticEnd(int from)
    {
        var depth = 0;
        var index = from;
        while (index < text.Length)
        {
            switch (text[index])
            {
                case '\\':
                    index += 2;
                    continue;
                case '\'':
                    var quoteEnd = text.IndexOf('\'', index + 1);
                    if (quoteEnd < 0)
                    {
                        return -1;
                    }

                    index = quoteEnd + 1;
                    continue;
                case '"':
                    index = SkipDoubleQuotedFrom(index);
                    continue;
                case '(':
                    depth++;
                    break;
                case ')':
                    if (depth == 0)
                    {
                        return index + 1 < text.Length && text[index + 1] == ')' ? index : -1;
                    }

                    depth--;
                    break;
            }

            index++;
        }

        return -1;
    }

    private CommandSubstitutionPart ReadBackquoted(bool insideDoubleQuotes)
    {
        position++;
        var inner = new StringBuilder();
        var closed = false;
        while (!AtEnd)
        {
            var character = Current;
            if (character == '`')
            {
                position++;
                closed = true;
                break;
            }

            if (character == '\\' && position + 1 < text.Length)
            {
                var next = text[position + 1];
                if (next is '$' or '`' or '\\' || (insideDoubleQuotes && next == '"'))
                {
                    inner.Append(next);
                    position += 2;
                    continue;
                }
            }

            inner.Append(character);
            position++;
        }

        if (!closed)
        {
            problems.Add("a backquote is not closed");
        }

        var body = CreateNested(inner.ToString()).ParseProgram();
        return new CommandSubstitutionPart(body, insideDoubleQuotes);
    }

    private void ReadAnsiCQuoted(WordBuilder builder)
    {
        position += 2;
        var value = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                problems.Add("a `$'` quote is not closed");
                break;
            }

            var character = Current;
            if (character == '\'')
            {
                position++;
                break;
            }

            if (character != '\\' || position + 1 >= text.Length)
            {
                value.Append(character);
                position++;
                continue;
            }

            position++;
            ReadAnsiCEscape(value);
        }

        builder.AddText(value.ToString(), quoted: true);
    }

    private void ReadAnsiCEscape(StringBuilder value)
    {
        var escape = Current;
        position++;
        switch (escape)
        {
            case 'a': value.Append('\a'); return;
            case 'b': value.Append('\b'); return;
            case 'e' or 'E': value.Append('\u001b'); return;
            case 'f': value.Append('\f'); return;
            case 'n': value.Append('\n'); return;
            case 'r': value.Append('\r'); return;
            case 't': value.Append('\t'); return;
            case 'v': value.Append('\v'); return;
            case 'c' when !AtEnd:
                value.Append((char)(Current & 0x1f));
                position++;
                return;
            case 'x':
                AppendCodePoint(value, ReadDigits(2, 16));
                return;
            case 'u':
                AppendCodePoint(value, ReadDigits(4, 16));
                return;
            case 'U':
                AppendCodePoint(value, ReadDigits(8, 16));
                return;
            case >= '0' and <= '7':
                position--;
                AppendCodePoint(value, ReadDigits(3, 8));
                return;
            default:
                if (escape is not ('\\' or '\'' or '"' or '?'))
                {
                    value.Append('\\');
                }

                value.Append(escape);
                return;
        }
    }

    private int? ReadDigits(int maximum, int radix)
    {
        var start = position;
        var number = 0;
        while (position < text.Length && position - start < maximum && IsDigitIn(text[position], radix))
        {
            number = (number * radix) + Convert.ToInt32(text[position].ToString(), 16);
            position++;
        }

        return position == start ? null : number;
    }

    private static bool IsDigitIn(char character, int radix) => radix == 16 ? char.IsAsciiHexDigit(character) : character is >= '0' and <= '7';

    private static void AppendCodePoint(StringBuilder value, int? codePoint)
    {
        if (codePoint is not { } number)
        {
            value.Append('\\');
            return;
        }

        if (number is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
        {
            value.Append(char.ConvertFromUtf32(number));
        }
        else
        {
            value.Append('\uFFFD');
        }
    }

    /// <summary>Reads the whole text as one expandable string (see <see cref="ExpandableTextMode"/>).</summary>
    private ShellWord ReadExpandableText(ExpandableTextMode mode)
    {
        var builder = new WordBuilder();
        if (baseNesting > MaxNesting)
        {
            problems.Add("the command nests too deeply to judge");
            return builder.Build();
        }

        var quoted = mode == ExpandableTextMode.HereDocument;
        while (!AtEnd)
        {
            var character = Current;
            if (mode == ExpandableTextMode.ParameterOperand && character is '\'' or '"' or '\\' or '$' or '`')
            {
                ReadWordCharacter(builder, insideDoubleQuotes: false);
                continue;
            }

            if (character == '\\' && position + 1 < text.Length && text[position + 1] is '$' or '`' or '\\' or '\n')
            {
                if (text[position + 1] != '\n')
                {
                    builder.AddChar(text[position + 1], quoted: true);
                }

                position += 2;
            }
            else if (character == '$')
            {
                ReadDollar(builder, insideDoubleQuotes: quoted);
            }
            else if (character == '`')
            {
                builder.AddPart(ReadBackquoted(insideDoubleQuotes: quoted));
            }
            else
            {
                builder.AddChar(character, quoted);
                position++;
            }
        }

        return builder.Build();
    }
}
