namespace DuckWorker.Policy.Judging;

/// <summary>Where the text of an expanded field came from, when that matters for running it as code.</summary>
[Flags]
internal enum FieldOrigin
{
    Literal = 0,

    /// <summary>Part of the field is the output of a command substitution.</summary>
    CommandOutput = 1,

    /// <summary>That command fetched from the network or decoded a payload (<c>$(curl …)</c>, <c>$(base64 -d …)</c>).</summary>
    Download = 2,

    /// <summary>The field is a process substitution's pipe path (<c>&lt;(…)</c>).</summary>
    ProcessSubstitution = 4,

    /// <summary>Part of the field is the value of a parameter expansion, even one the policy knows (<c>${IFS}</c>).</summary>
    Expansion = 8,
}
