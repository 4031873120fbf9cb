using DuckWorker.Policy.Rules;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Assignments: what a variable does to the programs that see it is judged by <see cref="EnvironmentVariables"/>;
/// a value some program runs as a command is judged as that command. Values the line assigns are remembered for
/// later expansions.
/// </summary>
internal static class AssignmentJudge
{
    /// <summary>Variables whose value some program runs as a command (<c>GIT_SSH_COMMAND</c>, <c>EDITOR</c>, <c>LESSOPEN</c>…).</summary>
    private static readonly HashSet<string> CommandVariables =
    [
        "GIT_SSH_COMMAND", "GIT_SSH", "GIT_EDITOR", "GIT_PAGER", "GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "GIT_PROXY_COMMAND", "EDITOR",
        "VISUAL", "PAGER", "MANPAGER", "LESSOPEN", "LESSCLOSE", "BROWSER", "SSH_ASKPASS", "SUDO_ASKPASS", "PROMPT_COMMAND",
        "RSYNC_RSH", "CVS_RSH", "FCEDIT",
    ];

    public static bool HoldsACommand(string name) => CommandVariables.Contains(name);

    /// <summary>The command in such a value: <c>LESSOPEN</c> writes it after a <c>|</c>.</summary>
    public static string CommandOf(string value) => value.TrimStart('|', '-').Replace("%s", "file", StringComparison.Ordinal);

    /// <summary>The state after assignments that run on their own (not as a prefix of a command).</summary>
    public static ShellState Apply(IReadOnlyList<ShellAssignment> assignments, WordExpander expander, ShellState state)
    {
        foreach (var assignment in assignments)
        {
            if (assignment.Append || assignment.Target.Parts.Count != 1)
            {
                state = state.WithVariable(assignment.Name, VariableValues.Unknown);
                continue;
            }

            var values = assignment.Elements is null ? expander.ExpandWithoutSplitting(assignment.Value) : ArrayValues(assignment.Elements, expander);
            state = state.WithVariable(assignment.Name, VariableValues.Of(
                values.Select(value => value.Text),
                values.Aggregate(FieldOrigin.Literal, (all, value) => all | value.Origin)));
        }

        return state;
    }

    /// <summary>
    /// An array's elements joined by field breaks: <c>"${a[@]}"</c> then expands to all of them as separate words
    /// (a subscript the policy does not follow gets them all too, which only adds candidates).
    /// </summary>
    private static List<(string Text, FieldOrigin Origin)> ArrayValues(IReadOnlyList<ShellWord> elements, WordExpander expander)
    {
        var expanded = elements.Select(element => expander.Expand(element)).ToList();
        if (expanded.Any(alternatives => alternatives.Count != 1))
        {
            return [(Sentinel.Unknown.ToString(), FieldOrigin.Literal)];
        }

        var fields = expanded.SelectMany(alternatives => alternatives[0]).ToList();
        return [(string.Join(Sentinel.FieldBreak, fields.Select(field => field.Text)), fields.Aggregate(FieldOrigin.Literal, (all, field) => all | field.Origin))];
    }
}
