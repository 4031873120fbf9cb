namespace DuckWorker.Policy.Syntax;

/// <summary>What ends one item of a command list.</summary>
internal enum ListTerminator
{
    None,
    Semicolon,
    Newline,
    Background,
}
