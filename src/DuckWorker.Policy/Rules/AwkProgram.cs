using System.Text.RegularExpressions;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Finds what makes an awk program more than a filter: <c>system()</c>, <c>getline</c>, pipes to or from
/// commands, and <c>print &gt; file</c>. Comparisons such as <c>$3 &gt; 100</c> are not redirections; only a
/// <c>&gt;</c> or <c>|</c> inside a print statement is. String literals and regular expressions are skipped.
/// </summary>
internal static partial class AwkProgram
{
    /// <summary>
    /// The literal commands the program runs (<c>system("…")</c>, <c>print | "…"</c>, <c>"…" | getline</c>) and files it
    /// writes (<c>print &gt; "…"</c>) or reads (<c>getline &lt; "…"</c>): these can be judged; anything else it does needs approval.
    /// </summary>
    public static IEnumerable<(char Kind, string Argument)> LiteralEffects(string program)
    {
        foreach (Match match in SystemCall().Matches(program))
        {
            yield return ('e', Unescape(match.Groups[1].Value));
        }

        foreach (Match match in PrintRedirection().Matches(program))
        {
            yield return (match.Groups[1].Value == "|" ? 'e' : 'w', Unescape(match.Groups[2].Value));
        }

        foreach (Match match in CommandIntoGetline().Matches(program))
        {
            yield return ('e', Unescape(match.Groups[1].Value));
        }

        foreach (Match match in GetlineFromFile().Matches(program))
        {
            yield return ('r', Unescape(match.Groups[1].Value));
        }
    }

    private static string Unescape(string literal) => Regex.Replace(literal, @"\\(.)", "$1");

    [GeneratedRegex(@"\bsystem\s*\(\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex SystemCall();

    [GeneratedRegex(@"\bprintf?\b[^;}\n]*?(>>|>|\|&|\|)\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex PrintRedirection();

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""\s*\|&?\s*getline")]
    private static partial Regex CommandIntoGetline();

    [GeneratedRegex(@"\bgetline\b[^;}\n]*?<\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex GetlineFromFile();

    public static bool RunsOrTouchesFiles(string program)
    {
        var code = StripLiterals(program);
        if (ContainsWord(code, "system") || ContainsWord(code, "getline") || ContainsWord(code, "close")
            || ContainsWord(code, "fflush") || code.Contains("@load", StringComparison.Ordinal)
            || code.Contains("@include", StringComparison.Ordinal) || code.Contains("|&", StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var keyword in new[] { "printf", "print" })
        {
            for (var start = FindWord(code, keyword, 0); start >= 0; start = FindWord(code, keyword, start + keyword.Length))
            {
                if (StatementRedirects(code, start + keyword.Length))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool StatementRedirects(string code, int from)
    {
        var depth = 0;
        for (var index = from; index < code.Length; index++)
        {
            switch (code[index])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ';' or '}' or '\n':
                    return false;
                case '>' or '|' when depth <= 0:
                    return true;
            }
        }

        return false;
    }

    /// <summary>Blanks out string literals and regular expression literals, which may contain any character.</summary>
    private static string StripLiterals(string program)
    {
        var code = program.ToCharArray();
        var index = 0;
        var previousSignificant = ' ';
        while (index < code.Length)
        {
            var character = code[index];
            var regexAllowed = previousSignificant is ' ' or '(' or ',' or '~' or '!' or '&' or '|' or '{' or ';' or '\n';
            if (character == '"' || (character == '/' && regexAllowed))
            {
                var end = index + 1;
                while (end < code.Length && code[end] != character)
                {
                    end += code[end] == '\\' ? 2 : 1;
                }

                for (var blank = index + 1; blank < Math.Min(end, code.Length); blank++)
                {
                    code[blank] = ' ';
                }

                index = end + 1;
                previousSignificant = 'x';
                continue;
            }

            if (!char.IsWhiteSpace(character) || character == '\n')
            {
                previousSignificant = character;
            }

            index++;
        }

        return new string(code);
    }

    private static bool ContainsWord(string code, string word) => FindWord(code, word, 0) >= 0;

    private static int FindWord(string code, string word, int from)
    {
        for (var index = code.IndexOf(word, from, StringComparison.Ordinal); index >= 0; index = code.IndexOf(word, index + 1, StringComparison.Ordinal))
        {
            var before = index == 0 ? ' ' : code[index - 1];
            var after = index + word.Length >= code.Length ? ' ' : code[index + word.Length];
            if (!IsIdentifier(before) && !IsIdentifier(after))
            {
                return index;
            }
        }

        return -1;
    }

    private static bool IsIdentifier(char character) => char.IsAsciiLetterOrDigit(character) || character is '_' or '$';
}
