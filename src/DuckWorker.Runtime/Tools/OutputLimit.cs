using System.Text;

namespace DuckWorker.Runtime.Tools;

/// <summary>
/// Caps text to a number of UTF-8 bytes, keeping the head and the tail (where errors and summaries usually
/// are) and cutting only on rune boundaries so that no character is split.
/// </summary>
public static class OutputLimit
{
    public static (string Text, bool Truncated) HeadTail(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return (text, false);
        }

        var marker = $"\n…[output truncated to {maxBytes} bytes]…\n";
        var budget = Math.Max(0, maxBytes - Encoding.UTF8.GetByteCount(marker));
        var head = Take(text, budget / 2, fromEnd: false);
        var tail = Take(text, budget - Encoding.UTF8.GetByteCount(head), fromEnd: true);
        return (head + marker + tail, true);
    }

    private static string Take(string text, int maxBytes, bool fromEnd)
    {
        var runes = new List<Rune>();
        var used = 0;
        var sequence = fromEnd ? text.EnumerateRunes().Reverse() : text.EnumerateRunes();
        foreach (var rune in sequence)
        {
            used += rune.Utf8SequenceLength;
            if (used > maxBytes)
            {
                break;
            }

            runes.Add(rune);
        }

        if (fromEnd)
        {
            runes.Reverse();
        }

        var builder = new StringBuilder();
        foreach (var rune in runes)
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
