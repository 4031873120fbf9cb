namespace DuckWorker.Policy.Syntax;

/// <summary>How a rendered list ends: at the top, inside <c>( )</c>, or before a closing keyword that needs a terminator.</summary>
internal enum RenderedListStyle
{
    TopLevel,
    Parenthesized,
    Terminated,
}
