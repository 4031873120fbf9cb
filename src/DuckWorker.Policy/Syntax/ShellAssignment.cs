namespace DuckWorker.Policy.Syntax;

/// <summary>
/// <c>NAME=value</c>, <c>NAME+=value</c>, <c>NAME[i]=value</c> or <c>NAME=(a b)</c>. <paramref name="Target"/>
/// is the part before the <c>=</c> (subscript included, since it is evaluated too).
/// </summary>
internal sealed record ShellAssignment(
    string Name,
    ShellWord Target,
    bool Append,
    ShellWord Value,
    IReadOnlyList<ShellWord>? Elements);
