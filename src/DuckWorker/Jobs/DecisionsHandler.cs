using DuckWorker.Approvals;
using DuckWorker.Diagnostics;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.RabbitMq.Publishing;
using DuckWorker.Runtime.Approvals;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.Jobs;

/// <summary>
/// The decisions queue: each decision is applied once and puts a continuation of its task into the jobs
/// queue. Unknown approvals, late second decisions, decisions for a closed approval (its task was cancelled, or
/// it expired) and decisions for another task's approval are
/// dead-lettered with the reason (and recorded in the task's log by the approval service), as are edits the
/// policy refuses (the approval stays pending) and decisions from someone not in <c>Approvals:AllowedApprovers</c>.
/// </summary>
internal sealed class DecisionsHandler(
    ApprovalService approvals,
    ITaskStore tasks,
    TaskAnnouncer announcer,
    IOptions<ApprovalsOptions> options,
    ILogger<DecisionsHandler> logger) : IDeliveryHandler
{
    public async Task<Settlement> HandleAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (!DecisionEnvelope.TryRead(delivery.Properties, delivery.Body.Span, out var message, out var decision, out var reason))
        {
            return Settlement.DeadLetter(reason);
        }

        if (options.Value.AllowedApprovers is { Count: > 0 } allowed && !allowed.Contains(message.DecidedBy, StringComparer.Ordinal))
        {
            logger.ApproverNotAllowed(message.ApprovalId, message.DecidedBy);
            return Settlement.DeadLetter($"Decision for approval '{message.ApprovalId}' by '{message.DecidedBy}' refused: '{message.DecidedBy}' is not in Approvals:AllowedApprovers.");
        }

        try
        {
            var result = await approvals.DecideAsync(message.ApprovalId, decision, message.DecidedBy, message.TaskId, message.Comment, message.EditedArgs, cancellationToken);
            var approval = result.Approval;
            switch (result.Outcome)
            {
                case DecisionOutcome.NotFound:
                    return Settlement.DeadLetter($"No approval has id '{message.ApprovalId}'.");
                case DecisionOutcome.WrongTask:
                    return Settlement.DeadLetter($"Approval '{message.ApprovalId}' belongs to task '{approval!.TaskId}', not to task '{message.TaskId}'.");
                case DecisionOutcome.EditRefused:
                    return Settlement.DeadLetter(result.Refusal!);
                case DecisionOutcome.Closed:
                    return Settlement.DeadLetter($"Approval '{message.ApprovalId}' is closed: {approval!.ClosedReason}.");
                case DecisionOutcome.AlreadyDecided when approval!.Decision != decision || approval.DecidedBy != message.DecidedBy:
                    return Settlement.DeadLetter($"Approval '{message.ApprovalId}' was already decided: {Runtime.Json.WireName.Of(approval.Decision!.Value)} by {approval.DecidedBy}.");
            }

            // Applied now, or applied before by this same decision whose continuation may not have been sent.
            var task = await tasks.GetAsync(approval!.TaskId, cancellationToken);
            if (task is { Status: AgentTaskStatus.WaitingForApproval })
            {
                await announcer.ContinueAsync(task, approval.ApprovalId, cancellationToken);
            }

            return Settlement.Ack;
        }
        catch (StoreUnavailableException ex)
        {
            logger.StoreUnavailable(ex.Message);
            return Settlement.Requeue;
        }
    }
}
