using System.Text.Json.Nodes;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Runtime.Approvals;

/// <summary>
/// Pending approvals, decisions (each applied once) and <c>allow_forever</c> rules per workspace. A request
/// binds to the exact stored call: the decision runs that call, not whatever is proposed later.
/// </summary>
public sealed class ApprovalService(
    IApprovalStore approvals,
    IApprovalRuleStore rules,
    ApprovalEdits edits,
    IEventLog events,
    TimeProvider time,
    ILogger<ApprovalService> logger)
{
    public async Task<Approval> CreatePendingAsync(AgentTask task, int index, ToolCall call, CancellationToken cancellationToken)
    {
        var approval = new Approval
        {
            ApprovalId = Ids.New(),
            TaskId = task.TaskId,
            Workspace = call.Context.Workspace,
            Index = index,
            Action = call.Action,
            NormalizedAction = call.Assessment.Action,
            Reason = call.Assessment.Reason,
            RiskLevel = call.Assessment.RiskLevel,
            ForeverScope = call.Assessment.ForeverScope,
            CreatedAt = time.GetUtcNow(),
        };
        await approvals.CreateAsync(approval, cancellationToken);
        DuckTelemetry.ApprovalsPending.Add(1);
        logger.ApprovalRequested(approval.ApprovalId, task.TaskId, call.Action.Tool);
        return approval;
    }

    public Task<Approval?> GetAsync(string approvalId, CancellationToken cancellationToken) =>
        approvals.GetAsync(approvalId, cancellationToken);

    public Task<Approval?> FindPendingAsync(string taskId, CancellationToken cancellationToken) =>
        approvals.FindPendingAsync(taskId, cancellationToken);

    /// <summary>
    /// Records a decision once. A second decision for the same approval, or one that names another task than
    /// the approval's (<paramref name="expectedTaskId"/>), is rejected, logged and recorded in the task's log
    /// (<c>approval_decision_rejected</c>); <c>allow_forever</c> also records a rule for the normalized action
    /// in the approval's workspace.
    /// </summary>
    public Task<DecisionResult> DecideAsync(
        string approvalId,
        ApprovalDecision decision,
        string decidedBy,
        string? expectedTaskId,
        CancellationToken cancellationToken) =>
        DecideAsync(approvalId, decision, decidedBy, expectedTaskId, comment: null, editedArgs: null, cancellationToken);

    /// <summary>
    /// Records a decision with what the person said (<paramref name="comment"/>) and, for an allow, the call's
    /// args as they changed them (<paramref name="editedArgs"/>). An edit is judged again by the policy first: a
    /// blocked or malformed edit, or one sent with a denial, is refused (<see cref="DecisionOutcome.EditRefused"/>)
    /// and recorded in the task's log, and the approval stays pending for another decision. An
    /// <c>allow_forever</c> with an edit records the rule for the edited call.
    /// </summary>
    public async Task<DecisionResult> DecideAsync(
        string approvalId,
        ApprovalDecision decision,
        string decidedBy,
        string? expectedTaskId,
        string? comment,
        JsonObject? editedArgs,
        CancellationToken cancellationToken)
    {
        if (expectedTaskId is not null && await approvals.GetAsync(approvalId, cancellationToken) is { } named && named.TaskId != expectedTaskId)
        {
            var reason = $"Approval '{approvalId}' belongs to task '{named.TaskId}', not to task '{expectedTaskId}'.";
            logger.DecisionRejected(approvalId, WireName.Of(decision), decidedBy, reason);
            await RecordRejectionAsync(named, decision, decidedBy, reason, cancellationToken);
            return new DecisionResult(DecisionOutcome.WrongTask, named);
        }

        var forever = (NormalizedAction?)null;
        if (editedArgs is not null && await approvals.GetAsync(approvalId, cancellationToken) is { IsPending: true } edited)
        {
            var judged = decision == ApprovalDecision.Deny ? null : edits.Judge(edited, editedArgs);
            var refusal = judged is null ? "An edit goes only with allow_once or allow_forever, not with deny." : judged.Refusal;
            if (refusal is not null)
            {
                // The policy's reason quotes the edited command, which may hold line breaks: escaped, it cannot forge a log line.
                var reason = PrintableText.Escape($"{refusal} Approval '{approvalId}' still waits for a decision.");
                logger.DecisionRejected(approvalId, WireName.Of(decision), decidedBy, reason);
                await RecordRejectionAsync(edited, decision, decidedBy, reason, cancellationToken);
                return new DecisionResult(DecisionOutcome.EditRefused, edited) { Refusal = reason };
            }

            forever = judged!.Call.Assessment.Action;
        }

        var decided = await approvals.TryDecideAsync(approvalId, decision, decidedBy, time.GetUtcNow(), comment, editedArgs, cancellationToken);
        if (decided is null)
        {
            var existing = await approvals.GetAsync(approvalId, cancellationToken);
            if (existing is null)
            {
                logger.DecisionForUnknownApproval(approvalId, decidedBy);
                return new DecisionResult(DecisionOutcome.NotFound, null);
            }

            if (existing.ClosedReason is { } closed)
            {
                var closedReason = $"Approval '{approvalId}' is closed: {closed}.";
                logger.DecisionRejected(approvalId, WireName.Of(decision), decidedBy, closedReason);
                await RecordRejectionAsync(existing, decision, decidedBy, closedReason, cancellationToken);
                return new DecisionResult(DecisionOutcome.Closed, existing);
            }

            var reason = $"Approval '{approvalId}' was already decided: {WireName.Of(existing.Decision!.Value)} by {existing.DecidedBy}.";
            logger.DecisionRejected(approvalId, WireName.Of(decision), decidedBy, reason);
            if (existing.Decision != decision || existing.DecidedBy != decidedBy)
            {
                await RecordRejectionAsync(existing, decision, decidedBy, reason, cancellationToken);
            }

            return new DecisionResult(DecisionOutcome.AlreadyDecided, existing);
        }

        if (decision == ApprovalDecision.AllowForever)
        {
            await rules.AddAsync(new ApprovalRule(decided.Workspace, forever ?? decided.NormalizedAction, approvalId, decidedBy, decided.DecidedAt!.Value), cancellationToken);
        }

        if (decided.EditedArgs is not null)
        {
            logger.ApprovalEdited(approvalId, decided.Action.Tool, decidedBy);
        }

        DuckTelemetry.ApprovalsPending.Add(-1);
        logger.ApprovalDecided(approvalId, WireName.Of(decision), decidedBy);
        return new DecisionResult(DecisionOutcome.Applied, decided);
    }

    /// <summary>Closes a pending approval without a decision, so that a decision sent later is refused with <paramref name="reason"/>.</summary>
    public async Task<Approval?> CloseAsync(string approvalId, string reason, CancellationToken cancellationToken)
    {
        var closed = await approvals.TryCloseAsync(approvalId, reason, time.GetUtcNow(), cancellationToken);
        if (closed is not null)
        {
            DuckTelemetry.ApprovalsPending.Add(-1);
        }

        return closed;
    }

    private Task RecordRejectionAsync(Approval approval, ApprovalDecision decision, string decidedBy, string reason, CancellationToken cancellationToken) =>
        new TaskJournal(events, approval.TaskId).ApprovalDecisionRejectedAsync(approval.ApprovalId, decision, decidedBy, reason, cancellationToken);

    public Task<bool> IsAllowedForeverAsync(string workspace, NormalizedAction action, CancellationToken cancellationToken) =>
        rules.ExistsAsync(workspace, action, cancellationToken);
}
