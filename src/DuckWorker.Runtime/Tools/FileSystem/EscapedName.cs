using System.Globalization;
using System.Text;

namespace DuckWorker.Runtime.Tools.FileSystem;

/// <summary>
/// A file name as the listings print it: control characters (C0, DEL, C1), line and paragraph separators
/// and bidirectional overrides are written as escapes (<c>\n</c>, <c>\t</c>, <c>\x1b</c>, <c>\u202e</c>), and
/// a backslash as <c>\\</c>. A name is any bytes but '/' and NUL, so without this a file named "a\nb" could
/// forge listing lines, and others could forge terminal escapes or reverse the text a person reads.
/// </summary>
internal static class EscapedName
{
    /// <summary>The sentence the tools' usage lines carry, so the model knows to read names back unescaped.</summary>
    public const string Note = "Names with control characters are shown escaped (\\n, \\t, \\x1b, \\u202e; a backslash as \\\\).";

    public static string Of(string name) => Escape(name, isName: true);

    /// <summary>
    /// Text of a file (a matching line), escaped the same way except for tabs and backslashes, which code is
    /// full of; it cannot forge lines either way, as lines are split at every line break.
    /// </summary>
    public static string OfText(string text) => Escape(text, isName: false);

    private static string Escape(string text, bool isName)
    {
        if (!text.Any(c => NeedsEscape(c, isName)))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (!NeedsEscape(c, isName))
            {
                escaped.Append(c);
                continue;
            }

            escaped.Append(c switch
            {
                '\\' => @"\\",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                < '\u0100' => string.Create(CultureInfo.InvariantCulture, $@"\x{(int)c:x2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $@"\u{(int)c:x4}"),
            });
        }

        return escaped.ToString();
    }

    private static bool NeedsEscape(char c, bool isName) => c switch
    {
        '\t' or '\\' => isName,
        _ when char.IsControl(c) => true,                      // C0, DEL and C1
        '\u061C' or '\u200E' or '\u200F' => true,             // bidirectional marks
        >= '\u202A' and <= '\u202E' => true,                   // bidirectional embeddings and overrides
        >= '\u2066' and <= '\u2069' => true,                   // bidirectional isolates
        '\u2028' or '\u2029' => true,                          // line and paragraph separators
        _ => false,
    };
}
