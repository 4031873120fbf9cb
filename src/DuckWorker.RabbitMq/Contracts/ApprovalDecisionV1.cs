using System.Text.Json.Nodes;

namespace DuckWorker.RabbitMq.Contracts;

/// <summary><c>duck.approval-decision.v1</c>: a person's decision, from an approver.</summary>
/// <param name="Decision"><c>allow_once</c>, <c>allow_forever</c> or <c>deny</c>.</param>
/// <param name="DecidedBy">
/// Who decided. When the message carries the AMQP <c>user_id</c> property (which RabbitMQ checks against the
/// publishing connection's user), that user is who decided, and a different name here refuses the decision.
/// </param>
public sealed record ApprovalDecisionV1(string ApprovalId, string Decision, string DecidedBy)
{
    /// <summary>Added: when set, the decision is rejected unless the approval belongs to this task.</summary>
    public string? TaskId { get; init; }

    /// <summary>Added: what the person says with the decision; a denial's comment reaches the models as "denied: &lt;comment&gt;".</summary>
    public string? Comment { get; init; }

    /// <summary>
    /// Added: with <c>allow_once</c> or <c>allow_forever</c> only, the call's args as the person changed them
    /// (e.g. <c>{"command": "…"}</c> for <c>shell_exec_safe</c>); the policy judges them again, and they run instead.
    /// </summary>
    public JsonObject? EditedArgs { get; init; }
}
