namespace DuckWorker.RabbitMq.Contracts;

/// <summary><c>duck.approval-decision.v1</c>: a person's decision, from an approver.</summary>
/// <param name="Decision"><c>allow_once</c>, <c>allow_forever</c> or <c>deny</c>.</param>
public sealed record ApprovalDecisionV1(string ApprovalId, string Decision, string DecidedBy)
{
    /// <summary>Added: when set, the decision is rejected unless the approval belongs to this task.</summary>
    public string? TaskId { get; init; }
}
