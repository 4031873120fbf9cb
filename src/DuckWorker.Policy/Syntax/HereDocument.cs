namespace DuckWorker.Policy.Syntax;

/// <summary>
/// A here-document. The parser meets the operator before the body (which starts after the next newline), so
/// it fills <see cref="Body"/> later; nothing else changes it.
/// </summary>
internal sealed class HereDocument(string delimiter, bool quotedDelimiter)
{
    public string Delimiter { get; } = delimiter;

    /// <summary>A quoted delimiter makes the body literal; otherwise the body is expanded like a quoted string.</summary>
    public bool QuotedDelimiter { get; } = quotedDelimiter;

    /// <summary>The body text, tabs already stripped for <c>&lt;&lt;-</c>.</summary>
    public string Body { get; set; } = "";

    /// <summary>The body parsed as expandable text; null when the delimiter is quoted.</summary>
    public ShellWord? Expansion { get; set; }
}
