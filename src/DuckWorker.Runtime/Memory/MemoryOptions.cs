namespace DuckWorker.Runtime.Memory;

/// <summary>The <c>Memory</c> section: how much of what earlier tasks taught is recalled into a job, and how.</summary>
public sealed class MemoryOptions
{
    public const string Section = "Memory";

    /// <summary>Characters of recalled memories and lessons a job's context may hold; 0 turns recall off.</summary>
    public int RecallBudget { get; set; } = 2000;

    /// <summary>Memories recalled at most (the workspace's and the global ones).</summary>
    public int RecallTopK { get; set; } = 5;

    /// <summary>Reusable lessons recalled at most.</summary>
    public int LessonTopK { get; set; } = 3;

    /// <summary>Similarity (cosine, -1..1) below which a memory or lesson is not relevant enough to recall.</summary>
    public double MinScore { get; set; } = 0.35;

    /// <summary>Similarity above which a new memory is the same as an existing one, which it then updates.</summary>
    public double DuplicateThreshold { get; set; } = 0.92;
}
