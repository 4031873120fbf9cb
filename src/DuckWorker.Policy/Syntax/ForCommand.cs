namespace DuckWorker.Policy.Syntax;

/// <summary>
/// <c>for NAME in WORDS; do … done</c> (or <c>select</c>); <paramref name="Items"/> is null for the form
/// without <c>in</c>, which iterates over the positional parameters.
/// </summary>
internal sealed record ForCommand(
    string Variable,
    IReadOnlyList<ShellWord>? Items,
    bool Select,
    ShellScript Body,
    IReadOnlyList<ShellRedirection> Redirections) : ShellCommand(Redirections);
