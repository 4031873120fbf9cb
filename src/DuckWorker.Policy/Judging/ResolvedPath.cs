namespace DuckWorker.Policy.Judging;

/// <summary>
/// A path argument resolved lexically against the working directory. <paramref name="Path"/> is normalized
/// (no <c>.</c> or <c>..</c>); it starts with <c>/</c> or with <see cref="Sentinel.Home"/> for the home
/// directory, and may still hold glob or unknown sentinels. <paramref name="IsPattern"/> is true when a glob
/// or an unknown part means it can stand for many files.
/// </summary>
internal sealed record ResolvedPath(string Path, PathScope Scope, bool IsPattern, bool IsWorkspaceRoot)
{
    public string Display => Sentinel.ToDisplay(Path);
}
