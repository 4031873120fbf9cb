using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Stores;

/// <summary>An <c>allow_forever</c> decision: this normalized action needs no approval again in this workspace.</summary>
public sealed record ApprovalRule(
    string Workspace,
    NormalizedAction Action,
    string ApprovalId,
    string DecidedBy,
    DateTimeOffset CreatedAt);
