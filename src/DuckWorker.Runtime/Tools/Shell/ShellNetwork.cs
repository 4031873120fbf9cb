namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>Whether a sandboxed command may reach the network: only when the policy judged it a network action.</summary>
public enum ShellNetwork
{
    Denied,
    Allowed,
}
