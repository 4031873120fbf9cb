using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Diagnostics;
using RabbitMQ.Client;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>
/// Reads a message of the jobs queue: a <c>duck.chat.v1</c> or a <c>duck.continue.v1</c>, by its AMQP
/// <c>type</c>. A message without a type is read by its shape (a body with a <c>message</c> is a chat job).
/// Anything that is not one of them, exactly, or that breaks a limit of <see cref="MessageLimits"/>, is
/// refused with a reason for the dead-letter queue that names the field.
/// </summary>
public static class JobEnvelope
{
    public static bool TryRead(IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body, out object job, out string reason)
    {
        if (!MessageBody.TryCheckObject(body, "message"u8, out var hasMessage, out reason))
        {
            job = null!;
            return false;
        }

        var type = string.IsNullOrEmpty(properties.Type)
            ? hasMessage ? MessageTypes.Chat : MessageTypes.Continue
            : properties.Type;
        return type switch
        {
            MessageTypes.Chat => TryReadChat(body, out job, out reason),
            MessageTypes.Continue => TryReadContinue(body, out job, out reason),
            _ => Refuse($"Unknown message type '{PrintableText.Escape(type)}'; the jobs queue takes {MessageTypes.Chat} and {MessageTypes.Continue}.", out job, out reason),
        };
    }

    private static bool TryReadChat(ReadOnlySpan<byte> body, out object job, out string reason)
    {
        if (!MessageBody.TryDeserialize<ChatJobV1>(body, MessageTypes.Chat, out var chat, out reason))
        {
            return Refuse(reason, out job, out reason);
        }

        var problem = MessageLimits.IdProblem("jobId", chat.JobId)
            ?? (chat.Reasoning is not (null or "on" or "off") ? $"reasoning must be \"on\", \"off\" or null, not {PrintableText.Quote(chat.Reasoning)}." : null)
            ?? HistoryProblem(chat.History);
        job = chat;
        reason = problem is null ? "" : $"{MessageTypes.Chat}: {problem}";
        return problem is null;
    }

    /// <summary>
    /// Each entry an object with a role of <c>user</c> or <c>assistant</c> and a string content. The number of
    /// entries has no limit of its own: <c>Worker:MaxMessageBytes</c> bounds the whole history.
    /// </summary>
    private static string? HistoryProblem(IReadOnlyList<HistoryMessageV1>? history)
    {
        for (var i = 0; i < (history?.Count ?? 0); i++)
        {
            switch (history![i])
            {
                case null:
                    return $"history[{i}] is null; each entry must be an object with a role (\"user\" or \"assistant\") and a content.";
                case { Role: not ("user" or "assistant") } turn:
                    return $"history[{i}] has role {PrintableText.Quote(turn.Role)}; only \"user\" and \"assistant\" are allowed.";
                case { Content: null }:
                    return $"history[{i}].content is null; it must be a string.";
            }
        }

        return null;
    }

    private static bool TryReadContinue(ReadOnlySpan<byte> body, out object job, out string reason)
    {
        if (!MessageBody.TryDeserialize<ContinueJobV1>(body, MessageTypes.Continue, out var next, out reason))
        {
            return Refuse(reason, out job, out reason);
        }

        job = next;
        var problem = MessageLimits.IdProblem("jobId", next.JobId)
            ?? MessageLimits.IdProblem("taskId", next.TaskId)
            ?? MessageLimits.IdProblem("approvalId", next.ApprovalId);
        reason = problem is null ? "" : $"{MessageTypes.Continue}: {problem}";
        return problem is null;
    }

    private static bool Refuse(string why, out object job, out string reason)
    {
        job = null!;
        reason = why;
        return false;
    }
}
