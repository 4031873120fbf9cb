using System.Text.Json.Nodes;

namespace DuckWorker.Runtime.Stores;

/// <summary>Something worth remembering beyond one task, as the memory policy summarized it.</summary>
public sealed record MemoryRecord
{
    public required string MemoryId { get; init; }

    /// <summary>The workspace it was learned in; empty for a memory without one.</summary>
    public required string Workspace { get; init; }

    /// <summary><c>workspace</c> (recalled only there) or <c>global</c>.</summary>
    public required string Scope { get; init; }

    public required string MemoryType { get; init; }

    public required string Text { get; init; }

    public double Importance { get; init; }

    public JsonObject Metadata { get; init; } = [];

    public string? TaskId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the memory last changed: a near-duplicate updates it rather than adding another.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The text's embedding, unit length; null when the embedding model could not be reached.</summary>
    public float[]? Embedding { get; init; }

    /// <summary>
    /// The embedder that made <see cref="Embedding"/> (<see cref="EmbedderName"/>); null without a vector,
    /// <see cref="EmbedderName.Unknown"/> for a vector stored before vectors named their embedder.
    /// </summary>
    public string? EmbeddedBy { get; init; }
}
