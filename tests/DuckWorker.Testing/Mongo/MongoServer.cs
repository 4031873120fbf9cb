using MongoDB.Bson;
using MongoDB.Driver;
using Testcontainers.MongoDb;
using Xunit;

namespace DuckWorker.Testing.Mongo;

/// <summary>
/// A real MongoDB server for the tests: a Testcontainers container when a Docker engine answers, otherwise the
/// server named by <c>DUCK_TEST_MONGO</c> (a mongodb:// URI). Without either, <see cref="UnavailableReason"/>
/// says why, and the tests that need a server skip with it.
/// </summary>
public sealed class MongoServer : IAsyncLifetime
{
    public const string UriVariable = "DUCK_TEST_MONGO";

    private MongoDbContainer? container;

    /// <summary>Null when <see cref="UnavailableReason"/> is set.</summary>
    public string? ConnectionString { get; private set; }

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        string? dockerError = null;
        try
        {
            container = new MongoDbBuilder("mongo:7.0").Build();
            await container.StartAsync();
            ConnectionString = container.GetConnectionString();
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

        if (ConnectionString is null && Environment.GetEnvironmentVariable(UriVariable) is { Length: > 0 } named)
        {
            ConnectionString = named;
        }

        if (ConnectionString is null)
        {
            UnavailableReason = $"No MongoDB server: Testcontainers found no Docker engine ({dockerError}) and {UriVariable} is not set (a mongodb:// URI).";
            return;
        }

        var settings = MongoClientSettings.FromConnectionString(ConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(5);
        try
        {
            using var client = new MongoClient(settings);
            await client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1));
        }
        catch (Exception ex)
        {
            UnavailableReason = $"The MongoDB server at {string.Join(",", settings.Servers)} ({UriVariable}) does not answer: {ex.Message}";
            ConnectionString = null;
        }
    }

    public async Task DropDatabaseAsync(string name)
    {
        using var client = new MongoClient(ConnectionString);
        await client.DropDatabaseAsync(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }
    }
}
