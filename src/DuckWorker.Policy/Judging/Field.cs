namespace DuckWorker.Policy.Judging;

/// <summary>
/// One argument after expansion, as the command would receive it. <paramref name="Text"/> may hold
/// <see cref="Sentinel"/> characters where the value is unknown or a glob is still active.
/// <paramref name="Content"/> is what reading the named file gives, when the command line shows it
/// (<c>&lt;(echo …)</c>).
/// </summary>
internal sealed record Field(string Text, FieldOrigin Origin = FieldOrigin.Literal, string? Content = null)
{
    public bool IsExact => !Text.Any(Sentinel.IsSentinel);

    public string Display => Sentinel.ToDisplay(Text);

    public override string ToString() => Display;
}
