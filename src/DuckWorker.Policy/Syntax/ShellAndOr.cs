namespace DuckWorker.Policy.Syntax;

/// <summary>
/// Pipelines joined by <c>&amp;&amp;</c> and <c>||</c>; <paramref name="AndOperators"/>[i] tells whether the
/// operator before <paramref name="Pipelines"/>[i + 1] is <c>&amp;&amp;</c> (true) or <c>||</c> (false).
/// </summary>
internal sealed record ShellAndOr(IReadOnlyList<ShellPipeline> Pipelines, IReadOnlyList<bool> AndOperators);
