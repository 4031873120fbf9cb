namespace DuckWorker.Policy;

/// <summary>What happens to a command line: ordered from least to most severe.</summary>
public enum CommandDecision
{
    Run,
    Approve,
    Block,
}
