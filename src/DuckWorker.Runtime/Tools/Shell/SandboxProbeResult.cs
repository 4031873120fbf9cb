namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>Whether bubblewrap ran a trivial sandboxed command, and what happened when it did not.</summary>
public sealed record SandboxProbeResult(bool Works, string Reason);
