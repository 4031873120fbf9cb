namespace DuckWorker.Policy.Judging;

/// <summary>Where a path argument lands relative to the workspace, judged lexically.</summary>
internal enum PathScope
{
    /// <summary>Inside the workspace (the workspace itself included).</summary>
    Workspace,

    /// <summary>Starts inside the workspace but an expansion decides the rest; <c>..</c> in it could leave.</summary>
    WorkspaceUncertain,

    /// <summary>Outside the workspace for certain.</summary>
    Outside,

    /// <summary>Could be anywhere: it starts with an unknown value, or the working directory is unknown.</summary>
    Anywhere,
}
