namespace DuckWorker.Runtime.Approvals;

/// <summary>What became of a decision sent for an approval.</summary>
public enum DecisionOutcome
{
    /// <summary>The decision was recorded; the task can continue.</summary>
    Applied,

    /// <summary>No approval has that id.</summary>
    NotFound,

    /// <summary>The approval was decided before; the first decision stands.</summary>
    AlreadyDecided,

    /// <summary>The decision named another task than the approval's; nothing was decided.</summary>
    WrongTask,

    /// <summary>The approval was closed without a decision (its task was cancelled, or it expired); nothing was decided.</summary>
    Closed,

    /// <summary>The person's edit of the call was refused (the policy blocks it, it is malformed, or it came with a denial); the approval still waits.</summary>
    EditRefused,
}
