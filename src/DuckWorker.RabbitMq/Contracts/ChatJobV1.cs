namespace DuckWorker.RabbitMq.Contracts;

/// <summary><c>duck.chat.v1</c>: a chat job. Only <see cref="JobId"/> and <see cref="Message"/> are required.</summary>
public sealed record ChatJobV1(string JobId, string Message)
{
    /// <summary>A folder under <c>Tools:WorkspaceRoot</c> (relative to it when relative); null gives the task a new empty folder.</summary>
    public string? Workspace { get; init; }

    public bool Debug { get; init; }

    /// <summary><c>on</c>, <c>off</c> or null (the thinker's configured default).</summary>
    public string? Reasoning { get; init; }

    public bool Reflect { get; init; } = true;

    public IReadOnlyList<HistoryMessageV1>? History { get; init; }

    public string? SkillSummary { get; init; }
}
