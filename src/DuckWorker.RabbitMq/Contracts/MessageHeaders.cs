namespace DuckWorker.RabbitMq.Contracts;

/// <summary>The headers the worker adds to messages it moves to the dead-letter queue.</summary>
public static class MessageHeaders
{
    /// <summary>Why the message was dead-lettered, in words.</summary>
    public const string Reason = "x-duck-reason";

    /// <summary>The queue the message was taken from.</summary>
    public const string OriginalQueue = "x-duck-original-queue";
}
