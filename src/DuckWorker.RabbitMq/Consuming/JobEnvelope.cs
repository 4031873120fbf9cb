using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;
using RabbitMQ.Client;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>
/// Reads a message of the jobs queue: a <c>duck.chat.v1</c> or a <c>duck.continue.v1</c>, by its AMQP
/// <c>type</c>. A message without a type is read by its shape (a body with a <c>message</c> is a chat job).
/// Anything that is not one of them, exactly, is refused with a reason for the dead-letter queue.
/// </summary>
public static class JobEnvelope
{
    public static bool TryRead(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body, out object job, out string reason)
    {
        if (!MessageBody.TryParseObject(body, out var root, out reason))
        {
            job = null!;
            return false;
        }

        var type = string.IsNullOrEmpty(properties.Type)
            ? root.TryGetProperty("message", out _) ? MessageTypes.Chat : MessageTypes.Continue
            : properties.Type;
        return type switch
        {
            MessageTypes.Chat => TryReadChat(root, out job, out reason),
            MessageTypes.Continue => TryReadContinue(root, out job, out reason),
            _ => Refuse($"Unknown message type '{type}'; the jobs queue takes {MessageTypes.Chat} and {MessageTypes.Continue}.", out job, out reason),
        };
    }

    private static bool TryReadChat(JsonElement body, out object job, out string reason)
    {
        if (!MessageBody.TryDeserialize<ChatJobV1>(body, MessageTypes.Chat, out var chat, out reason))
        {
            return Refuse(reason, out job, out reason);
        }

        string? problem = null;
        if (string.IsNullOrWhiteSpace(chat.JobId))
        {
            problem = "jobId is empty.";
        }
        else if (chat.Reasoning is not (null or "on" or "off"))
        {
            problem = $"reasoning must be \"on\", \"off\" or null, not \"{chat.Reasoning}\".";
        }
        else if (chat.History?.FirstOrDefault(m => m is null || m.Role is not ("user" or "assistant") || m.Content is null) is { } turn)
        {
            problem = $"history holds a message with role \"{turn.Role}\"; only \"user\" and \"assistant\" are allowed, each with content.";
        }

        job = chat;
        reason = problem is null ? "" : $"{MessageTypes.Chat}: {problem}";
        return problem is null;
    }

    private static bool TryReadContinue(JsonElement body, out object job, out string reason)
    {
        if (!MessageBody.TryDeserialize<ContinueJobV1>(body, MessageTypes.Continue, out var next, out reason))
        {
            return Refuse(reason, out job, out reason);
        }

        job = next;
        if (string.IsNullOrWhiteSpace(next.JobId) || string.IsNullOrWhiteSpace(next.TaskId) || string.IsNullOrWhiteSpace(next.ApprovalId))
        {
            reason = $"{MessageTypes.Continue}: jobId, taskId and approvalId must not be empty.";
            return false;
        }

        return true;
    }

    private static bool Refuse(string why, out object job, out string reason)
    {
        job = null!;
        reason = why;
        return false;
    }
}
