using DuckWorker.Mongo.Diagnostics;
using DuckWorker.Mongo.Exceptions;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Mongo.Indexes;

/// <summary>
/// Brings the indexes to their definitions when the worker starts, so that a wrong or unreachable
/// <c>Mongo:ConnectionString</c> stops the start with one line naming it, instead of failing the first job; then
/// checks the Atlas vector index, if one is named, so that a missing or building one is said at start. Later
/// outages are transient: each store call reports them as <see cref="StoreUnavailableException"/> and the job is retried.
/// </summary>
internal sealed class MongoStartup(MongoStore store, MongoVectorSearch vectors, StartupFailure failure, IHostApplicationLifetime lifetime, ILogger<MongoStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.RunAsync(() => store.EnsureIndexesAsync(cancellationToken), cancellationToken);
        }
        catch (StoreUnavailableException ex)
        {
            failure.Report($"MongoDB at {store.Servers} does not answer; check Mongo:ConnectionString and that the server runs: {store.Reason(ex.InnerException!)}");
            lifetime.StopApplication();
            return;
        }
        catch (MongoMisconfiguredException ex)
        {
            failure.Report(ex.Message);
            lifetime.StopApplication();
            return;
        }

        logger.StoreReady(store.DatabaseName, store.Servers);
        try
        {
            await store.RunAsync(() => vectors.CheckIndexesAsync([store.Memories, store.Experiences], cancellationToken), cancellationToken);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or InvalidOperationException)
        {
            // The server went away or erred right after answering: the index is checked on first use instead.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
