namespace DuckWorker.Policy;

/// <summary>The kind of effect the riskiest segment of a command line has.</summary>
public enum CommandActionType
{
    Read,
    Write,
    Network,
    Process,
    Destructive,
    Privileged,
    Unknown,
}
