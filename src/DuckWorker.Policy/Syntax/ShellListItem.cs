namespace DuckWorker.Policy.Syntax;

/// <summary>One <c>&amp;&amp;</c>/<c>||</c> chain of a list and what ends it.</summary>
internal sealed record ShellListItem(ShellAndOr Chain, ListTerminator Terminator);
