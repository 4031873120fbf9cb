namespace DuckWorker.Runtime.Stores;

/// <summary>A task: one chat job and everything needed to continue it after an approval.</summary>
public sealed record AgentTask
{
    public required string TaskId { get; init; }

    /// <summary>The producer's job id; at most one task exists per job id.</summary>
    public required string JobId { get; init; }

    public required string Message { get; init; }

    /// <summary>The workspace, absolute with links resolved once accepted; as the job named it when it was refused.</summary>
    public string? Workspace { get; init; }

    public bool Debug { get; init; }

    public AgentTaskStatus Status { get; init; }

    public string? FinalResponse { get; init; }

    /// <summary>The thinker's reasoning behind the final response, when it gave any.</summary>
    public string? ReasoningContent { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The prompt prefix built when the task started, kept so that a continuation sends the same prefix.</summary>
    public IReadOnlyList<ConversationMessage> Context { get; init; } = [];

    public ReasoningMode? Reasoning { get; init; }

    public bool Reflect { get; init; } = true;
}
