namespace DuckWorker.Policy.Syntax;

/// <summary>The redirection operators of bash.</summary>
internal enum RedirectionOperator
{
    /// <summary><c>&lt;</c></summary>
    Input,

    /// <summary><c>&gt;</c></summary>
    Output,

    /// <summary><c>&gt;&gt;</c></summary>
    Append,

    /// <summary><c>&gt;|</c></summary>
    Clobber,

    /// <summary><c>&lt;&gt;</c></summary>
    ReadWrite,

    /// <summary><c>&lt;&lt;</c> and <c>&lt;&lt;-</c></summary>
    HereDocument,

    /// <summary><c>&lt;&lt;&lt;</c></summary>
    HereString,

    /// <summary><c>&lt;&amp;</c></summary>
    DuplicateInput,

    /// <summary><c>&gt;&amp;</c></summary>
    DuplicateOutput,

    /// <summary><c>&amp;&gt;</c></summary>
    OutputAndError,

    /// <summary><c>&amp;&gt;&gt;</c></summary>
    AppendOutputAndError,
}
