using System.Text;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Private-use characters that stand, inside expanded text, for what the policy cannot know or must not
/// mistake for literal text: an unknown value, active glob characters, the home directory, and the places
/// where word splitting and brace expansion happen. Any such character typed in the command line itself is
/// turned into <see cref="Unknown"/>, which can only make the judgement stricter.
/// </summary>
internal static class Sentinel
{
    public const char Unknown = '\uE000';
    public const char Star = '\uE001';
    public const char Question = '\uE002';
    public const char BracketOpen = '\uE003';
    public const char Home = '\uE004';
    public const char FieldBreak = '\uE005';
    public const char BraceOpen = '\uE006';
    public const char BraceComma = '\uE007';
    public const char BraceClose = '\uE008';

    public static bool IsSentinel(char character) => character is >= '\uE000' and <= '\uE008';

    public static bool IsGlob(char character) => character is Star or Question or BracketOpen;

    public static bool HasGlob(string text) => text.AsSpan().IndexOfAny(Star, Question, BracketOpen) >= 0;

    /// <summary>Text as a person would read it: unknown parts shown as <c>…</c>, the home directory as <c>~</c>.</summary>
    public static string ToDisplay(string text)
    {
        if (!text.Any(IsSentinel))
        {
            return text;
        }

        var display = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            display.Append(character switch
            {
                Unknown => "…",
                Star => "*",
                Question => "?",
                BracketOpen => "[",
                Home => "~",
                FieldBreak => " ",
                BraceOpen => "{",
                BraceComma => ",",
                BraceClose => "}",
                _ => character.ToString(),
            });
        }

        return display.ToString();
    }

    /// <summary>
    /// Text to hand back to the shell parser (a <c>bash -c</c> string, an <c>eval</c>): unknown parts become an
    /// expansion of a variable nobody sets, so the nested parse stays uncertain where the outer one was.
    /// </summary>
    public static string ToShellText(string text)
    {
        if (!text.Any(IsSentinel))
        {
            return text;
        }

        var shell = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            shell.Append(character switch
            {
                Unknown => "${__unknown_value__}",
                Home => "${HOME}",
                _ => ToDisplay(character.ToString()),
            });
        }

        return shell.ToString();
    }
}
