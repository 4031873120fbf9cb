namespace DuckWorker.Runtime.Stores;

/// <summary>Long-term memories.</summary>
public interface IMemoryStore
{
    Task AddAsync(MemoryRecord memory, CancellationToken cancellationToken);

    Task<MemoryRecord?> GetAsync(string memoryId, CancellationToken cancellationToken);

    /// <summary>The newest memories first, of one workspace (and the global ones) or of all when <paramref name="workspace"/> is null.</summary>
    Task<IReadOnlyList<MemoryRecord>> ListAsync(string? workspace, int limit, CancellationToken cancellationToken);
}
