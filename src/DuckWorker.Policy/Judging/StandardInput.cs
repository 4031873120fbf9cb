namespace DuckWorker.Policy.Judging;

/// <summary>
/// What a command reads on standard input, as far as the command line shows: its <paramref name="Text"/> when
/// knowable (a here-document, <c>echo … |</c>), the <paramref name="Items"/> it lists when they are paths
/// (<c>find . |</c>), and whether anything upstream fetched from the network or decoded a payload.
/// </summary>
internal sealed record StandardInput(StandardInputKind Kind, string? Text, IReadOnlyList<string>? Items, bool FetchedOrDecoded)
{
    public static StandardInput Inherited { get; } = new(StandardInputKind.Inherited, null, null, false);
}
