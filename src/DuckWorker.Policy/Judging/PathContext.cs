namespace DuckWorker.Policy.Judging;

/// <summary>What a path check needs: where paths resolve from, and where to report.</summary>
internal sealed record PathContext(PathResolver Paths, ShellState State, Action<Verdict> Report)
{
    public List<ResolvedPath> Resolve(Field field) => Paths.Resolve(field.Text, State);
}
