namespace DuckWorker.Policy.Judging;

/// <summary>
/// How builtins change the shell state the next commands run in: <c>cd</c>/<c>pushd</c>/<c>popd</c> move the
/// working directory (so <c>cd / &amp;&amp; rm -rf *</c> is seen to delete <c>/*</c>), and <c>export</c>,
/// <c>declare</c>, <c>unset</c>, <c>read</c> change variables.
/// </summary>
internal static class StateTransitions
{
    private static readonly HashSet<string> DeclarationBuiltins = ["export", "declare", "typeset", "local", "readonly"];

    public static ShellState Apply(IReadOnlyList<List<Field>> alternatives, ShellState state)
    {
        ShellState? joined = null;
        foreach (var arguments in alternatives)
        {
            var after = Apply(arguments, state);
            joined = joined is null ? after : joined.Join(after);
        }

        return joined ?? state;
    }

    private static ShellState Apply(List<Field> arguments, ShellState state)
    {
        var start = 0;
        while (start < arguments.Count && arguments[start].Text is "command" or "builtin")
        {
            start++;
        }

        if (start >= arguments.Count)
        {
            return state;
        }

        var operands = arguments.Skip(start + 1).ToList();
        switch (arguments[start].Text)
        {
            case "cd":
            case "pushd":
                var targets = operands.Where(field => !(field.Text.StartsWith('-') && field.Text.Length > 1)).ToList();
                if (targets.Count == 0)
                {
                    return arguments[start].Text == "cd" ? state.WithDirectories([Sentinel.Home.ToString()]) : state.WithDirectories(null);
                }

                return ChangeDirectory(targets[0], state);
            case "popd":
                return state.WithDirectories(null);
            case var name when DeclarationBuiltins.Contains(name):
                return Declare(operands, state);
            case "unset":
                return operands.Where(field => !field.Text.StartsWith('-'))
                    .Aggregate(state, (current, field) => current.WithVariable(field.Text, VariableValues.Of([""], FieldOrigin.Literal)));
            case "read":
            case "mapfile":
            case "readarray":
            case "getopts":
                return operands.Where(field => !field.Text.StartsWith('-'))
                    .Aggregate(state, (current, field) => current.WithVariable(field.Text, VariableValues.Unknown));
            default:
                return state;
        }
    }

    private static ShellState ChangeDirectory(Field target, ShellState state)
    {
        if (target.Text == "-" || state.Directories is null)
        {
            return state.WithDirectories(null);
        }

        var directories = new List<string>();
        foreach (var from in state.Directories)
        {
            var resolved = PathResolver.ResolveDirectory(target.Text, from);
            if (resolved is null)
            {
                return state.WithDirectories(null);
            }

            directories.Add(resolved);
        }

        return state.WithDirectories(directories);
    }

    private static ShellState Declare(List<Field> operands, ShellState state)
    {
        foreach (var operand in operands.Where(field => !field.Text.StartsWith('-') && !field.Text.StartsWith('+')))
        {
            var equals = operand.Text.IndexOf('=');
            var name = equals < 0 ? operand.Text : operand.Text[..equals].TrimEnd('+');
            if (name.Length == 0 || !name.All(character => char.IsAsciiLetterOrDigit(character) || character == '_'))
            {
                continue;
            }

            if (equals >= 0)
            {
                state = state.WithVariable(name, operand.Text[equals - 1] == '+' ? VariableValues.Unknown : VariableValues.Of([operand.Text[(equals + 1)..]], operand.Origin));
            }
        }

        return state;
    }
}
