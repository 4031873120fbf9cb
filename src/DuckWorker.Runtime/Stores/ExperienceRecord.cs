namespace DuckWorker.Runtime.Stores;

/// <summary>What the critic concluded about a finished task, and the lesson worth reusing, if any.</summary>
public sealed record ExperienceRecord
{
    public required string RecordId { get; init; }

    public required string TaskId { get; init; }

    public required string Workspace { get; init; }

    public required string Summary { get; init; }

    /// <summary><c>success</c>, <c>partial</c> or <c>failure</c>.</summary>
    public required string Outcome { get; init; }

    public string? ReusableLesson { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The reusable lesson's embedding, unit length; null without a lesson or when it could not be embedded.</summary>
    public float[]? LessonEmbedding { get; init; }

    /// <summary>
    /// The embedder that made <see cref="LessonEmbedding"/> (<see cref="EmbedderName"/>); null without a vector,
    /// <see cref="EmbedderName.Unknown"/> for a vector stored before vectors named their embedder.
    /// </summary>
    public string? LessonEmbeddedBy { get; init; }
}
