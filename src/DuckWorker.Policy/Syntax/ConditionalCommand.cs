namespace DuckWorker.Policy.Syntax;

/// <summary>
/// <c>[[ … ]]</c>. Operators such as <c>&lt;</c> or <c>&amp;&amp;</c> are kept as unquoted literal words:
/// inside the brackets they compare or combine, they do not redirect or chain commands.
/// </summary>
internal sealed record ConditionalCommand(IReadOnlyList<ShellWord> Tokens, IReadOnlyList<ShellRedirection> Redirections)
    : ShellCommand(Redirections);
