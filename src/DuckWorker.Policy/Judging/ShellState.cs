using System.Collections.Immutable;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// What the policy knows about the shell between commands: the possible working directories (null: unknown)
/// and the possible values of variables the command line set. A variable it never saw is unknown; where
/// control flow joins, the possibilities are united, so every path through the line is covered.
/// </summary>
internal sealed record ShellState(ImmutableHashSet<string>? Directories, ImmutableDictionary<string, VariableValues> Variables)
{
    private const int MaximumDirectories = 8;

    public static ShellState Start(string workspace) => new([workspace], ImmutableDictionary<string, VariableValues>.Empty);

    public ShellState WithDirectories(IEnumerable<string>? directories)
    {
        if (directories is null)
        {
            return this with { Directories = null };
        }

        var set = directories.ToImmutableHashSet();
        return this with { Directories = set.Count is 0 or > MaximumDirectories ? null : set };
    }

    public ShellState WithVariable(string name, VariableValues values) => this with { Variables = Variables.SetItem(name, values) };

    public ShellState Join(ShellState other)
    {
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        var directories = Directories is null || other.Directories is null ? null : Directories.Union(other.Directories);
        var variables = Variables;
        foreach (var name in Variables.Keys.Union(other.Variables.Keys))
        {
            var mine = Variables.GetValueOrDefault(name, VariableValues.Unknown);
            var theirs = other.Variables.GetValueOrDefault(name, VariableValues.Unknown);
            variables = variables.SetItem(name, mine.Union(theirs));
        }

        return new ShellState(null, variables).WithDirectories(directories);
    }

    /// <summary>
    /// The state after a loop body that may run any number of times: whatever the body changed becomes unknown,
    /// since a second pass could change it again (<c>cd ..</c> in a loop climbs without bound).
    /// </summary>
    public ShellState Widen(ShellState afterBody)
    {
        var directories = DirectoriesEqual(afterBody) ? Directories : null;
        var variables = Variables;
        foreach (var name in Variables.Keys.Union(afterBody.Variables.Keys))
        {
            var before = Variables.GetValueOrDefault(name);
            var after = afterBody.Variables.GetValueOrDefault(name);
            if (before is null || after is null || !before.Equals(after))
            {
                variables = variables.SetItem(name, VariableValues.Unknown with { Origin = (before?.Origin ?? 0) | (after?.Origin ?? 0) });
            }
        }

        return new ShellState(directories, variables);
    }

    public bool SameAs(ShellState other) =>
        DirectoriesEqual(other) && Variables.Count == other.Variables.Count
        && Variables.All(pair => other.Variables.TryGetValue(pair.Key, out var value) && value.Equals(pair.Value));

    private bool DirectoriesEqual(ShellState other) =>
        Directories is null ? other.Directories is null : other.Directories is not null && Directories.SetEquals(other.Directories);
}
