using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Loop;

/// <summary>A chat job as the runtime takes it: the fields of <c>duck.chat.v1</c> plus recalled memories.</summary>
public sealed record ChatRequest
{
    public required string JobId { get; init; }

    public required string Message { get; init; }

    /// <summary>A folder under <c>Tools:WorkspaceRoot</c> (relative to it when relative); null gives the task a new empty folder.</summary>
    public string? Workspace { get; init; }

    public bool Debug { get; init; }

    public ReasoningMode? Reasoning { get; init; }

    public bool Reflect { get; init; } = true;

    public IReadOnlyList<ConversationMessage> History { get; init; } = [];

    public string? SkillSummary { get; init; }

    /// <summary>Where the outcome should be sent as well (AMQP <c>reply_to</c>); kept with the task.</summary>
    public string? ReplyTo { get; init; }

    /// <summary>Memories recalled for this job, put into its context.</summary>
    public IReadOnlyList<MemoryRecord> Memories { get; init; } = [];
}
