namespace DuckWorker.Policy.Syntax;

/// <summary>
/// One redirection. <paramref name="Fd"/> is the explicit descriptor (<c>2&gt;</c>), <paramref name="FdVariable"/>
/// the <c>{name}&gt;</c> form; <paramref name="Target"/> is the file word, or the delimiter word of a here-document.
/// </summary>
internal sealed record ShellRedirection(
    int? Fd,
    string? FdVariable,
    RedirectionOperator Operator,
    ShellWord Target,
    HereDocument? HereDocument)
{
    /// <summary>The descriptor the redirection changes, defaulting as bash does.</summary>
    public int EffectiveFd => Fd ?? Operator switch
    {
        RedirectionOperator.Input or RedirectionOperator.ReadWrite or RedirectionOperator.HereDocument
            or RedirectionOperator.HereString or RedirectionOperator.DuplicateInput => 0,
        _ => 1,
    };

    /// <summary>True for <c>2&gt;&amp;1</c>, <c>&gt;&amp;-</c> and the like, which name a descriptor, not a file.</summary>
    public bool IsDescriptorDuplication => Operator is RedirectionOperator.DuplicateInput or RedirectionOperator.DuplicateOutput
        && Target.LiteralValue is { } value && IsDescriptorText(value);

    private static bool IsDescriptorText(string value)
    {
        var digits = value.EndsWith('-') ? value[..^1] : value;
        return digits.Length == 0 ? value == "-" : digits.All(char.IsAsciiDigit);
    }
}
