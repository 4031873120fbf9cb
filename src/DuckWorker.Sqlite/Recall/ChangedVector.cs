namespace DuckWorker.Sqlite.Recall;

/// <summary>An entry as the index needs it, read after a change; <see cref="Vector"/> is empty when it has none to search any more.</summary>
internal sealed record ChangedVector(string Id, string Workspace, bool Global, string Embedder, float[] Vector);
