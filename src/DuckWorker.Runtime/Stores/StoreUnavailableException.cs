namespace DuckWorker.Runtime.Stores;

/// <summary>
/// The store could not be reached or answered with a transient error. Adapters translate their driver's
/// exceptions into this one so that no driver type crosses a port; the job is retried later, not failed.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception innerException)
    : Exception(message, innerException);
