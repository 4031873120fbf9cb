namespace DuckWorker.Policy.Syntax;

/// <summary>A list of commands separated by <c>;</c>, <c>&amp;</c> or newlines.</summary>
internal sealed record ShellScript(IReadOnlyList<ShellListItem> Items)
{
    public static ShellScript Empty { get; } = new([]);
}
