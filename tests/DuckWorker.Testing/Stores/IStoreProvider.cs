namespace DuckWorker.Testing.Stores;

/// <summary>Gives the store contract a fresh, empty store of one adapter per test.</summary>
public interface IStoreProvider
{
    /// <summary>Null when the adapter's server is not reachable here, with the reason.</summary>
    string? UnavailableReason { get; }

    Task<StoreSet> CreateAsync(CancellationToken cancellationToken);
}
