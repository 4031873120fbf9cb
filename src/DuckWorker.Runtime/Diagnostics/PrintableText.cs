using System.Globalization;
using System.Text;

namespace DuckWorker.Runtime.Diagnostics;

/// <summary>
/// Text from outside the worker (ids, message types, reasons that quote a message) as it may appear in a log
/// line or a header: printable means letters, marks, numbers, punctuation, symbols and spaces. Control
/// characters (a newline forges a log line, ESC drives a terminal), format characters (bidirectional
/// overrides reorder what a reader sees), line separators, private-use, unassigned code points and unpaired
/// surrogates are not.
/// </summary>
public static class PrintableText
{
    public static bool IsPrintable(string text) => FirstUnprintable(text) < 0;

    /// <summary>The index of the first character that is not printable, or -1.</summary>
    public static int FirstUnprintable(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length) != System.Buffers.OperationStatus.Done || !IsPrintable(rune))
            {
                return i;
            }

            i += length;
        }

        return -1;
    }

    /// <summary>
    /// The text with every character that is not printable written as an escape (<c>\n</c>, <c>\x1b</c>,
    /// <c>\u202e</c>), so that it stays on one line and shows what it holds. Printable text is returned as it is.
    /// </summary>
    public static string Escape(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var first = FirstUnprintable(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var length) == System.Buffers.OperationStatus.Done && IsPrintable(rune))
            {
                escaped.Append(text, i, length);
            }
            else
            {
                foreach (var c in text.AsSpan(i, length))
                {
                    AppendEscape(escaped, c);
                }
            }

            i += length;
        }

        return escaped.ToString();
    }

    /// <summary>The text escaped and cut to at most <paramref name="max"/> characters of the original, in double quotes: fit to quote in a reason.</summary>
    public static string Quote(string? text, int max = 64)
    {
        if (text is null)
        {
            return "null";
        }

        return text.Length <= max
            ? $"\"{Escape(text)}\""
            : $"\"{Escape(text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)])}…\" ({text.Length} characters)";
    }

    private static bool IsPrintable(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => true,
    };

    private static void AppendEscape(StringBuilder escaped, char c) => _ = c switch
    {
        '\n' => escaped.Append("\\n"),
        '\r' => escaped.Append("\\r"),
        '\t' => escaped.Append("\\t"),
        < '\u0100' => escaped.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
        _ => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
    };
}
