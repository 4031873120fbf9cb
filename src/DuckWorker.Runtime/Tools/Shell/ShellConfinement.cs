namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>How shell commands run in this worker, and why: decided once, from <c>Tools:Sandbox</c> and the probe.</summary>
/// <param name="Sandboxed">Each command runs in bubblewrap.</param>
/// <param name="Refused">No command may run: the sandbox is required and does not work.</param>
public sealed record ShellConfinement(bool Sandboxed, bool Refused, string Reason);
