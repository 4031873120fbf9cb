namespace DuckWorker.RabbitMq.Contracts;

/// <summary><c>duck.approval-requested.v1</c> (routing key <c>approval.requested</c>): a task waits for a person.</summary>
/// <param name="Reason">Why approval is needed.</param>
/// <param name="ForeverScope">In words: exactly what <c>allow_forever</c> would allow from now on.</param>
public sealed record ApprovalRequestedV1(
    string TaskId,
    string JobId,
    string ApprovalId,
    string Tool,
    ToolActionV1 Action,
    string Reason,
    string RiskLevel,
    string ForeverScope)
{
    /// <summary>Added: the workspace the action would run in.</summary>
    public string? Workspace { get; init; }
}
