namespace DuckWorker.Runtime.Stores;

/// <summary>Long-term memories, with the vectors that let them be recalled by meaning.</summary>
public interface IMemoryStore
{
    Task AddAsync(MemoryRecord memory, CancellationToken cancellationToken);

    Task<MemoryRecord?> GetAsync(string memoryId, CancellationToken cancellationToken);

    /// <summary>
    /// The newest memories first, of one workspace (and the global ones) or of all when <paramref name="workspace"/>
    /// is null; only those of <paramref name="scope"/> (<c>workspace</c> or <c>global</c>) when it is not null.
    /// </summary>
    Task<IReadOnlyList<MemoryRecord>> ListAsync(string? workspace, string? scope, int limit, CancellationToken cancellationToken) =>
        ListAsync(workspace, scope, text: null, limit, cancellationToken);

    /// <summary>
    /// As the listing above, only the memories whose text contains <paramref name="text"/> (ignoring the case of
    /// ASCII letters) when it is not null.
    /// </summary>
    Task<IReadOnlyList<MemoryRecord>> ListAsync(string? workspace, string? scope, string? text, int limit, CancellationToken cancellationToken);

    /// <summary>Replaces a memory's text, type, importance, metadata, vector and update time; false when it does not exist.</summary>
    Task<bool> UpdateAsync(MemoryRecord memory, CancellationToken cancellationToken);

    /// <summary>
    /// The ids, in order, of the memories whose vector was not made by <paramref name="embeddedBy"/>, those without
    /// a vector included; of every memory when it is null.
    /// </summary>
    Task<IReadOnlyList<string>> ListIdsNotEmbeddedByAsync(string? embeddedBy, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a memory's vector and the name of its embedder, and nothing else, provided its text is still
    /// <paramref name="text"/> (the vector is of that text); false when it is not, or the memory does not exist.
    /// </summary>
    Task<bool> SetEmbeddingAsync(string memoryId, string text, float[] embedding, string embeddedBy, CancellationToken cancellationToken);

    /// <summary>Forgets a memory; false when it does not exist.</summary>
    Task<bool> DeleteAsync(string memoryId, CancellationToken cancellationToken);

    /// <summary>
    /// The memories of <paramref name="workspace"/> and the global ones whose vector is closest to
    /// <paramref name="vector"/> (cosine similarity, both unit length), best first, none below
    /// <paramref name="minScore"/>. Only vectors made by <paramref name="embeddedBy"/>, of the query's
    /// dimension, are considered: memories without one, or with another's, are not.
    /// </summary>
    Task<IReadOnlyList<Scored<MemoryRecord>>> SearchAsync(
        string workspace,
        string embeddedBy,
        ReadOnlyMemory<float> vector,
        int limit,
        double minScore,
        CancellationToken cancellationToken);
}
