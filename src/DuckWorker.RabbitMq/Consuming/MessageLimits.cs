using System.Text;
using DuckWorker.Runtime.Diagnostics;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>
/// What an id in a message may be (docs/messages.md): 1 to 200 printable characters (see
/// <see cref="PrintableText"/>) that take at most 255 bytes in UTF-8, so that a job id always fits AMQP's
/// <c>correlation_id</c> and no id can forge a log line.
/// </summary>
public static class MessageLimits
{
    public const int MaxIdCharacters = 200;

    /// <summary>A decision's comment: enough for an instruction to the models, and no more, as it reaches every later prompt of the task.</summary>
    public const int MaxCommentCharacters = 2000;

    /// <summary>A decision's edited args, as UTF-8 JSON: room for a file's content as a person edits it.</summary>
    public const int MaxEditedArgsBytes = 1024 * 1024;

    /// <summary>An AMQP short string (<c>correlation_id</c>, <c>message_id</c>) holds at most 255 bytes.</summary>
    public const int MaxShortStringBytes = 255;

    /// <summary>Why <paramref name="id"/> is not a usable id, naming the <paramref name="field"/>; null when it is one.</summary>
    public static string? IdProblem(string field, string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return $"{field} is empty.";
        }

        if (id.Length > MaxIdCharacters)
        {
            return $"{field} has {id.Length} characters; at most {MaxIdCharacters} are allowed: {PrintableText.Quote(id)}.";
        }

        if (PrintableText.FirstUnprintable(id) is var at and >= 0)
        {
            return $"{field} holds a character that is not printable ({PrintableText.Escape(id.Substring(at, char.IsSurrogatePair(id, at) ? 2 : 1))} at {at}): {PrintableText.Quote(id)}.";
        }

        if (Encoding.UTF8.GetByteCount(id) is var bytes and > MaxShortStringBytes)
        {
            return $"{field} takes {bytes} bytes in UTF-8; at most {MaxShortStringBytes} fit the AMQP correlation_id: {PrintableText.Quote(id)}.";
        }

        return null;
    }

    /// <summary>Why <paramref name="comment"/> is not a usable comment; null when it is one (newlines and tabs allowed).</summary>
    public static string? CommentProblem(string comment)
    {
        if (comment.Length > MaxCommentCharacters)
        {
            return $"comment has {comment.Length} characters; at most {MaxCommentCharacters} are allowed.";
        }

        foreach (var line in comment.Split('\n'))
        {
            if (PrintableText.FirstUnprintable(line.Replace('\t', ' ').TrimEnd('\r')) is var at and >= 0)
            {
                return $"comment holds a character that is not printable ({PrintableText.Escape(line.Substring(at, char.IsSurrogatePair(line, at) ? 2 : 1))}).";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="text"/> fits an AMQP short string.</summary>
    public static bool FitsShortString(string? text) => text is not null && Encoding.UTF8.GetByteCount(text) <= MaxShortStringBytes;
}
