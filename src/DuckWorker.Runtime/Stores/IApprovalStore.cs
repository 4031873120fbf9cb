using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Stores;

/// <summary>Approval requests and their decisions.</summary>
public interface IApprovalStore
{
    Task CreateAsync(Approval approval, CancellationToken cancellationToken);

    Task<Approval?> GetAsync(string approvalId, CancellationToken cancellationToken);

    /// <summary>The task's newest approval that has no decision yet and is not closed, if any.</summary>
    Task<Approval?> FindPendingAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Pending approvals (neither decided nor closed) of every task, the oldest first.</summary>
    Task<IReadOnlyList<Approval>> ListPendingAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records a decision if none was made yet, atomically; returns the decided approval, or null when the
    /// approval does not exist, was already decided or is closed. The <paramref name="comment"/> and
    /// <paramref name="editedArgs"/> (already judged by the policy) are kept with the decision.
    /// </summary>
    Task<Approval?> TryDecideAsync(
        string approvalId,
        ApprovalDecision decision,
        string decidedBy,
        DateTimeOffset decidedAt,
        string? comment,
        JsonObject? editedArgs,
        CancellationToken cancellationToken);

    /// <summary>
    /// Closes a pending approval without a decision, atomically against <see cref="TryDecideAsync"/>: of a close
    /// and a decision racing, exactly one wins. Returns the closed approval, or null when it does not exist or is
    /// no longer pending.
    /// </summary>
    Task<Approval?> TryCloseAsync(string approvalId, string reason, DateTimeOffset closedAt, CancellationToken cancellationToken);
}
