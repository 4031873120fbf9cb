using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole;

/// <summary>Text made safe for HTML content and attribute values: every page builds its markup from these.</summary>
internal static class Html
{
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>
    /// Content text as <see cref="Encode"/> makes it, with each character a browser would not show as itself (a control,
    /// a bidi override or isolate, a zero-width or tag character) shown as its code point: a crafted command cannot be
    /// displayed as another one (U+202E reversing what follows it), so what a person approves is what runs.
    /// </summary>
    public static string Revealed(string? text)
    {
        text ??= "";
        if (!HasHidden(text))
        {
            return Encode(text);
        }

        var html = new StringBuilder();
        var plain = new StringBuilder();
        foreach (var (character, codePoint, hidden) in Characters(text))
        {
            if (hidden)
            {
                html.Append(Encode(plain.ToString()));
                plain.Clear();
                html.Append(CultureInfo.InvariantCulture, $"""<mark class="hidden-char" title="A character that is invisible or changes the text's direction">U+{codePoint:X4}</mark>""");
            }
            else
            {
                plain.Append(character);
            }
        }

        return html.Append(Encode(plain.ToString())).ToString();
    }

    /// <summary>Whether <see cref="Revealed"/> would show a character of <paramref name="text"/> by its code point.</summary>
    public static bool HasHidden(string? text) => Characters(text ?? "").Any(c => c.Hidden);

    /// <summary>A page or fragment as the response, never cached: it shows live state.</summary>
    public static IResult Page(string html, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);

    /// <remarks>Line breaks and tabs show as themselves (a CR only before an LF); a lone surrogate is hidden too.</remarks>
    private static IEnumerable<(string Text, int CodePoint, bool Hidden)> Characters(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (!Rune.TryGetRuneAt(text, i, out var rune))
            {
                yield return (text[i].ToString(), text[i], true);
                i++;
                continue;
            }

            var hidden = rune.Value switch
            {
                '\n' or '\t' => false,
                '\r' => i + 1 >= text.Length || text[i + 1] != '\n',
                _ => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator,
            };
            yield return (rune.ToString(), rune.Value, hidden);
            i += rune.Utf16SequenceLength;
        }
    }
}
