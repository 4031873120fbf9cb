using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Memory;

/// <summary>What a job recalls: the memories and lessons that fit its budget, best first.</summary>
/// <param name="Fallback">Why recall fell back to the most important and newest memories (no vector for the message), if it did.</param>
public sealed record Recalled(IReadOnlyList<Scored<MemoryRecord>> Memories, IReadOnlyList<Scored<ExperienceRecord>> Lessons, string? Fallback)
{
    public static Recalled Nothing { get; } = new([], [], null);
}
