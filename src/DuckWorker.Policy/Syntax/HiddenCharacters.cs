namespace DuckWorker.Policy.Syntax;

/// <summary>
/// Characters that can make a command line read differently from what runs: control characters (other than
/// tab and newline), invisible formatting characters, bidirectional overrides and private-use characters.
/// </summary>
internal static class HiddenCharacters
{
    public static bool IsHidden(char character) =>
        (character < ' ' && character is not ('\t' or '\n'))
        || character is >= '\u007f' and <= '\u009f'
        || character is '\u00ad' or '\u061c' or '\u180e' or '\ufeff'
        || character is >= '\u200b' and <= '\u200f'
        || character is >= '\u2028' and <= '\u202e'
        || character is >= '\u2060' and <= '\u206f'
        || character is >= '\ue000' and <= '\uf8ff';

    public static bool Any(string text) => text.Any(IsHidden);
}
