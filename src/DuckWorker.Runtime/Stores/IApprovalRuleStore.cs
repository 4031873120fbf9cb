using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Stores;

/// <summary>The <c>allow_forever</c> rules, per workspace.</summary>
public interface IApprovalRuleStore
{
    /// <summary>Adds a rule; adding the same workspace and action twice keeps one rule.</summary>
    Task AddAsync(ApprovalRule rule, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string workspace, NormalizedAction action, CancellationToken cancellationToken);

    /// <summary>Every rule, oldest first. A rule is known by the id of the approval that created it.</summary>
    Task<IReadOnlyList<ApprovalRule>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes the rule the approval <paramref name="approvalId"/> created; false when there is none.</summary>
    Task<bool> RevokeAsync(string approvalId, CancellationToken cancellationToken);
}
