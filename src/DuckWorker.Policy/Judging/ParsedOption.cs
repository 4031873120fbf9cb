namespace DuckWorker.Policy.Judging;

/// <summary>One option: a short name (<c>r</c>) or a long one (<c>--recursive</c>), with its value if it takes one.</summary>
internal sealed record ParsedOption(string Name, Field? Value);
