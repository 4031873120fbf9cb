using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Memory;

/// <summary>A memory as stored: new, or merged into a near-duplicate (with their similarity); stored without a vector when <see cref="EmbeddingError"/> says why.</summary>
public sealed record StoredMemory(MemoryRecord Memory, bool Merged, double? Similarity, string? EmbeddingError);
