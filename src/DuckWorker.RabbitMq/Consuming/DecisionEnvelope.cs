using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using RabbitMQ.Client;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>Reads a <c>duck.approval-decision.v1</c>; anything else is refused with a reason for the dead-letter queue.</summary>
public static class DecisionEnvelope
{
    public static bool TryRead(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body, out ApprovalDecisionV1 decision, out ApprovalDecision value, out string reason)
    {
        decision = null!;
        value = default;
        if (!string.IsNullOrEmpty(properties.Type) && properties.Type != MessageTypes.ApprovalDecision)
        {
            reason = $"Unknown message type '{PrintableText.Escape(properties.Type)}'; the decisions queue takes {MessageTypes.ApprovalDecision}.";
            return false;
        }

        if (!MessageBody.TryCheckObject(body, default, out _, out reason)
            || !MessageBody.TryDeserialize(body, MessageTypes.ApprovalDecision, out decision, out reason))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(decision.ApprovalId) || string.IsNullOrWhiteSpace(decision.DecidedBy))
        {
            reason = $"{MessageTypes.ApprovalDecision}: approvalId and decidedBy must not be empty.";
            return false;
        }

        // The person's name reaches the logs and the task's events as the ids do: it is held to the same limits.
        if ((MessageLimits.IdProblem("approvalId", decision.ApprovalId)
            ?? MessageLimits.IdProblem("decidedBy", decision.DecidedBy)
            ?? (decision.TaskId is null ? null : MessageLimits.IdProblem("taskId", decision.TaskId))) is { } problem)
        {
            reason = $"{MessageTypes.ApprovalDecision}: {problem}";
            return false;
        }

        if (!WireName.TryParse(decision.Decision, out value))
        {
            reason = $"{MessageTypes.ApprovalDecision}: decision must be \"allow_once\", \"allow_forever\" or \"deny\", not {PrintableText.Quote(decision.Decision)}.";
            return false;
        }

        // RabbitMQ lets a connection publish only its own user as user_id: when there is one, it is who decided,
        // and a body that names someone else is not believed.
        if (!string.IsNullOrEmpty(properties.UserId) && properties.UserId != decision.DecidedBy)
        {
            reason = $"{MessageTypes.ApprovalDecision}: decidedBy {PrintableText.Quote(decision.DecidedBy)} is not the broker user that sent it ({PrintableText.Quote(properties.UserId)}, its AMQP user_id); a decision carrying user_id must name that user.";
            return false;
        }

        if ((decision.Comment is null ? null : MessageLimits.CommentProblem(decision.Comment)) is { } commentProblem)
        {
            reason = $"{MessageTypes.ApprovalDecision}: {commentProblem}";
            return false;
        }

        if (decision.EditedArgs is { } edited)
        {
            if (value == ApprovalDecision.Deny)
            {
                reason = $"{MessageTypes.ApprovalDecision}: editedArgs go only with allow_once or allow_forever, not with deny.";
                return false;
            }

            if (ContractJson.Serialize(edited).Length is var bytes and > MessageLimits.MaxEditedArgsBytes)
            {
                reason = $"{MessageTypes.ApprovalDecision}: editedArgs take {bytes} bytes; at most {MessageLimits.MaxEditedArgsBytes} are allowed.";
                return false;
            }
        }

        return true;
    }
}
