using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Tilde prefixes as bash finds them: at the start of a word, and in assignments (and words shaped like
/// them, such as <c>make DESTDIR=~/x</c>) also after the <c>=</c> and after each <c>:</c>. A prefix with any
/// quoted character (<c>~"root"</c>) is not expanded.
/// </summary>
internal static class Tilde
{
    public static ShellWord Expand(ShellWord word)
    {
        if (word.Parts.Count == 0 || word.Parts[0] is not LiteralPart { Quoted: false } first)
        {
            return word;
        }

        var equals = AssignmentShapedEquals(first.Text);
        if (equals > 0)
        {
            return ExpandFrom(word, equals + 1, assignment: true);
        }

        return ExpandFrom(word, 0, assignment: false);
    }

    public static ShellWord ExpandInAssignment(ShellWord value) => ExpandFrom(value, 0, assignment: true);

    private static int AssignmentShapedEquals(string text)
    {
        var index = 0;
        while (index < text.Length && (char.IsAsciiLetter(text[index]) || text[index] == '_' || (index > 0 && char.IsAsciiDigit(text[index]))))
        {
            index++;
        }

        return index > 0 && index < text.Length && text[index] == '=' ? index : -1;
    }

    private static ShellWord ExpandFrom(ShellWord word, int start, bool assignment)
    {
        if (word.Parts.Count == 0 || word.Parts[0] is not LiteralPart { Quoted: false } first)
        {
            return word;
        }

        var isOnlyPart = word.Parts.Count == 1;
        var parts = new List<WordPart>();
        var text = first.Text;
        var literalStart = 0;
        var candidate = start;
        while (candidate < text.Length)
        {
            if (text[candidate] == '~' && TryReadPrefix(text, candidate, assignment, isOnlyPart, out var user, out var prefixEnd))
            {
                if (candidate > literalStart)
                {
                    parts.Add(new LiteralPart(text[literalStart..candidate], Quoted: false));
                }

                parts.Add(new TildePart(user));
                literalStart = prefixEnd;
                candidate = prefixEnd;
            }

            if (!assignment)
            {
                break;
            }

            var colon = text.IndexOf(':', candidate);
            if (colon < 0)
            {
                break;
            }

            candidate = colon + 1;
        }

        if (parts.Count == 0)
        {
            return word;
        }

        if (literalStart < text.Length)
        {
            parts.Add(new LiteralPart(text[literalStart..], Quoted: false));
        }

        parts.AddRange(word.Parts.Skip(1));
        return new ShellWord(parts);
    }

    private static bool TryReadPrefix(string text, int tilde, bool assignment, bool isOnlyPart, out string user, out int end)
    {
        end = tilde + 1;
        while (end < text.Length && text[end] != '/' && !(assignment && text[end] == ':'))
        {
            end++;
        }

        user = text[(tilde + 1)..end];
        var endsInsideThisPart = end < text.Length || isOnlyPart;
        return endsInsideThisPart && (user.Length == 0 || user is "+" or "-"
            || user.All(character => char.IsAsciiLetterOrDigit(character) || character is '_' or '-' or '.'));
    }
}
