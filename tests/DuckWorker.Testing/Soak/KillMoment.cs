namespace DuckWorker.Testing.Soak;

/// <summary>When a worker is killed.</summary>
public enum KillMoment
{
    Anytime,

    /// <summary>Right after an approval request arrives: the asking run may still hold the task.</summary>
    AfterApprovalRequest,

    /// <summary>While a command the policy ran at once runs.</summary>
    DuringToolCall,

    /// <summary>While a command a person allowed runs.</summary>
    DuringApprovedCall,
}
