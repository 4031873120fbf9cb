using DuckWorker.Testing.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Testcontainers.MongoDb;

namespace DuckWorker.Mongo.Tests;

/// <summary>
/// A real MongoDB server for the store contract: a Testcontainers container when a Docker engine answers,
/// otherwise the server named by <c>DUCK_TEST_MONGO</c> (a mongodb:// URI). Without either, every contract
/// test is skipped with the reason, never passed. Each store set gets a database of its own, dropped at the end.
/// </summary>
public sealed class MongoStoreProvider : IStoreProvider, IAsyncLifetime
{
    public const string UriVariable = "DUCK_TEST_MONGO";

    private readonly List<MongoStore> stores = [];
    private MongoDbContainer? container;
    private string? connectionString;

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        string? dockerError = null;
        try
        {
            container = new MongoDbBuilder("mongo:7.0").Build();
            await container.StartAsync();
            connectionString = container.GetConnectionString();
        }
        catch (Exception ex)
        {
            dockerError = string.Join(' ', ex.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (container is not null)
            {
                await container.DisposeAsync();
                container = null;
            }
        }

        if (connectionString is null && Environment.GetEnvironmentVariable(UriVariable) is { Length: > 0 } named)
        {
            connectionString = named;
        }

        if (connectionString is null)
        {
            UnavailableReason = $"No MongoDB server: Testcontainers found no Docker engine ({dockerError}) and {UriVariable} is not set (a mongodb:// URI).";
            return;
        }

        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        try
        {
            using var client = new MongoClient(settings);
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }
        catch (Exception ex)
        {
            UnavailableReason = $"The MongoDB server at {string.Join(",", settings.Servers)} ({UriVariable}) does not answer: {ex.Message}";
        }
    }

    public Task<StoreSet> CreateAsync(CancellationToken cancellationToken)
    {
        var options = Options.Create(new MongoOptions { ConnectionString = connectionString!, Database = $"duck_test_{Guid.NewGuid():N}" });
        var store = new MongoStore(options);
        var vectors = new MongoVectorSearch(options, NullLogger<MongoVectorSearch>.Instance);
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
        if (stores.Count > 0)
        {
            using var client = new MongoClient(connectionString);
            foreach (var store in stores)
            {
                await client.DropDatabaseAsync(store.DatabaseName);
                store.Dispose();
            }
        }

        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}
