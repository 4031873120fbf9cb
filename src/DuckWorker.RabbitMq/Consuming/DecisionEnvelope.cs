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

        return true;
    }
}
