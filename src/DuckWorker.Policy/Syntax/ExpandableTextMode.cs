namespace DuckWorker.Policy.Syntax;

/// <summary>How to read text in which only expansions are special (here-document bodies, arithmetic, operands).</summary>
internal enum ExpandableTextMode
{
    /// <summary>Quotes are ordinary characters; backslash escapes only <c>$ ` \</c> and newline.</summary>
    HereDocument,

    /// <summary>The word after an operator in <c>${X:-word}</c>: quotes work as in a word.</summary>
    ParameterOperand,
}
