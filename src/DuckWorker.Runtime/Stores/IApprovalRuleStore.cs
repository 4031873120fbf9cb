using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Stores;

/// <summary>The <c>allow_forever</c> rules, per workspace.</summary>
public interface IApprovalRuleStore
{
    /// <summary>Adds a rule; adding the same workspace and action twice keeps one rule.</summary>
    Task AddAsync(ApprovalRule rule, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string workspace, NormalizedAction action, CancellationToken cancellationToken);
}
