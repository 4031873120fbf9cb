using System.Globalization;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Brace expansion over text where only unquoted braces are marked (<see cref="Sentinel.BraceOpen"/> …):
/// <c>{a,b}</c> and <c>{1..3}</c> become several words, so <c>rm -rf {/,x}</c> is seen to delete <c>/</c>.
/// </summary>
internal static class BraceExpansion
{
    public const int MaximumResults = 64;

    public static List<string> Expand(string text)
    {
        var results = new List<string>();
        Expand(text, 0, results);
        return results;
    }

    private static void Expand(string text, int searchFrom, List<string> results)
    {
        if (results.Count >= MaximumResults)
        {
            return;
        }

        var open = text.IndexOf(Sentinel.BraceOpen, searchFrom);
        if (open < 0)
        {
            results.Add(text);
            return;
        }

        var close = FindClose(text, open);
        var alternatives = close < 0 ? null : Alternatives(text[(open + 1)..close]);
        if (alternatives is null)
        {
            Expand(text, open + 1, results);
            return;
        }

        var prefix = text[..open];
        var suffix = text[(close + 1)..];
        foreach (var alternative in alternatives)
        {
            Expand(prefix + alternative + suffix, 0, results);
            if (results.Count >= MaximumResults)
            {
                return;
            }
        }
    }

    private static int FindClose(string text, int open)
    {
        var depth = 0;
        for (var index = open; index < text.Length; index++)
        {
            if (text[index] == Sentinel.BraceOpen)
            {
                depth++;
            }
            else if (text[index] == Sentinel.BraceClose && --depth == 0)
            {
                return index;
            }
        }

        return -1;
    }

    private static List<string>? Alternatives(string inner)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var index = 0; index < inner.Length; index++)
        {
            switch (inner[index])
            {
                case Sentinel.BraceOpen:
                    depth++;
                    break;
                case Sentinel.BraceClose:
                    depth--;
                    break;
                case Sentinel.BraceComma when depth == 0:
                    parts.Add(inner[start..index]);
                    start = index + 1;
                    break;
            }
        }

        if (parts.Count > 0)
        {
            parts.Add(inner[start..]);
            return parts;
        }

        return Sequence(inner);
    }

    private static List<string>? Sequence(string inner)
    {
        var pieces = inner.Split("..");
        if (pieces.Length is not (2 or 3))
        {
            return null;
        }

        var step = 1;
        if (pieces.Length == 3 && (!int.TryParse(pieces[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out step) || step == 0))
        {
            return null;
        }

        step = Math.Abs(step);
        if (int.TryParse(pieces[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var first)
            && int.TryParse(pieces[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var last))
        {
            return Range(first, last, step).Select(number => number.ToString(CultureInfo.InvariantCulture)).ToList();
        }

        if (pieces[0].Length == 1 && pieces[1].Length == 1 && char.IsAsciiLetter(pieces[0][0]) && char.IsAsciiLetter(pieces[1][0]))
        {
            return Range(pieces[0][0], pieces[1][0], step).Select(code => ((char)code).ToString()).ToList();
        }

        return null;
    }

    private static IEnumerable<int> Range(int first, int last, int step)
    {
        var direction = first <= last ? step : -step;
        var count = 0;
        for (var value = first; direction > 0 ? value <= last : value >= last; value += direction)
        {
            yield return value;
            if (++count >= MaximumResults)
            {
                yield break;
            }
        }
    }
}
