namespace DuckWorker.Sqlite.Recall;

/// <summary>A memory as the index needs it, read after a change; <see cref="Vector"/> is empty when it was forgotten or has no vector.</summary>
internal sealed record ChangedMemory(string MemoryId, string Workspace, bool Global, string Embedder, float[] Vector);
