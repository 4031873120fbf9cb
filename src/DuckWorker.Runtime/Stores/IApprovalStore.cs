namespace DuckWorker.Runtime.Stores;

/// <summary>Approval requests and their decisions.</summary>
public interface IApprovalStore
{
    Task CreateAsync(Approval approval, CancellationToken cancellationToken);

    Task<Approval?> GetAsync(string approvalId, CancellationToken cancellationToken);

    /// <summary>The task's newest approval that has no decision yet, if any.</summary>
    Task<Approval?> FindPendingAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Approvals that have no decision yet, of every task, oldest first.</summary>
    Task<IReadOnlyList<Approval>> ListPendingAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a decision if none was made yet, atomically; returns the decided approval, or null when the
    /// approval does not exist or was already decided.
    /// </summary>
    Task<Approval?> TryDecideAsync(
        string approvalId,
        ApprovalDecision decision,
        string decidedBy,
        DateTimeOffset decidedAt,
        CancellationToken cancellationToken);
}
