using DuckWorker.Testing.Mongo;
using DuckWorker.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace DuckWorker.Mongo.Tests;

/// <summary>
/// The MongoDB stores for the store contract, on a real server (<see cref="MongoServer"/>): without one, every
/// contract test is skipped with the reason, never passed. Each store set gets a database of its own, dropped at the end.
/// </summary>
public sealed class MongoStoreProvider : IStoreProvider, IAsyncLifetime
{
    private readonly List<MongoStore> stores = [];
    private readonly MongoServer server = new();

    public string? UnavailableReason => server.UnavailableReason;

    public ValueTask InitializeAsync() => server.InitializeAsync();

    public Task<StoreSet> CreateAsync(CancellationToken cancellationToken)
    {
        // Reads that followed this preference would miss fresh writes on a replica set: the store must read from the primary anyway.
        var connectionString = new MongoUrlBuilder(server.ConnectionString!) { ReadPreference = ReadPreference.SecondaryPreferred }.ToString();
        var options = Options.Create(new MongoOptions { ConnectionString = connectionString, Database = $"duck_test_{Guid.NewGuid():N}" });
        var store = new MongoStore(options);
        var vectors = new MongoVectorSearch(options, TimeProvider.System, NullLogger<MongoVectorSearch>.Instance);
        lock (stores)
        {
            stores.Add(store);
        }

        return Task.FromResult(new StoreSet(
            new MongoTaskStore(store),
            new MongoEventLog(store, TimeProvider.System, NullLogger<MongoEventLog>.Instance),
            new MongoApprovalStore(store),
            new MongoApprovalRuleStore(store),
            new MongoMemoryStore(store, vectors),
            new MongoExperienceStore(store, vectors)));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in stores)
        {
            await server.DropDatabaseAsync(store.DatabaseName);
            store.Dispose();
        }

        await server.DisposeAsync();
    }
}
