namespace DuckWorker.RabbitMq.Contracts;

/// <summary>One earlier turn of the conversation a chat job carries: <c>user</c> or <c>assistant</c>.</summary>
public sealed record HistoryMessageV1(string Role, string Content);
