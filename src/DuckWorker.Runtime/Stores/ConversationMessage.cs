namespace DuckWorker.Runtime.Stores;

/// <summary>One message of a prompt or of a job's history: <c>system</c>, <c>user</c> or <c>assistant</c>, and its text.</summary>
public sealed record ConversationMessage(string Role, string Content)
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
}
