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

    /// <summary>Where the job asked its outcome to be sent as well (AMQP <c>reply_to</c>), kept for after an approval.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>The run that works on the task; another run may take it only once <see cref="LeaseExpiresAt"/> has passed.</summary>
    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>How many runs took the task (each lease taken counts one).</summary>
    public int Attempts { get; init; }

    /// <summary>Set once someone asked for the task to stop; the first request stands.</summary>
    public CancelRequest? CancelRequest { get; init; }
}
