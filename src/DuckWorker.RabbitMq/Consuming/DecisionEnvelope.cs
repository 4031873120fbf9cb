using DuckWorker.RabbitMq.Contracts;
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
            reason = $"Unknown message type '{properties.Type}'; the decisions queue takes {MessageTypes.ApprovalDecision}.";
            return false;
        }

        if (!MessageBody.TryParseObject(body, out var root, out reason)
            || !MessageBody.TryDeserialize(root, MessageTypes.ApprovalDecision, out decision, out reason))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(decision.ApprovalId) || string.IsNullOrWhiteSpace(decision.DecidedBy))
        {
            reason = $"{MessageTypes.ApprovalDecision}: approvalId and decidedBy must not be empty.";
            return false;
        }

        if (!WireName.TryParse(decision.Decision, out value))
        {
            reason = $"{MessageTypes.ApprovalDecision}: decision must be \"allow_once\", \"allow_forever\" or \"deny\", not \"{decision.Decision}\".";
            return false;
        }

        return true;
    }
}
