using DuckWorker.Mongo.Indexes;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

/// <summary>
/// The worker's one client to the MongoDB deployment and its collections. It creates the indexes on first use
/// (a failed attempt is tried again on the next call), and turns driver errors into the ports' terms:
/// transient ones into <see cref="StoreUnavailableException"/>, every other one into an
/// <see cref="InvalidOperationException"/>, so that no driver type crosses a port.
/// </summary>
internal sealed class MongoStore : IDisposable
{
    private readonly MongoClient client;
    private readonly SemaphoreSlim indexGate = new(1, 1);
    private volatile bool indexesReady;

    public MongoStore(IOptions<MongoOptions> options)
    {
        var settings = options.Value;
        var url = MongoUrl.Create(settings.ConnectionString);
        // Only hosts and ports reach messages and logs: the connection string may carry a password.
        Servers = string.Join(",", url.Servers.Select(server => $"{server.Host}:{server.Port}"));
        DatabaseName = settings.Database;
        client = new MongoClient(MongoClientSettings.FromUrl(url));
        var database = client.GetDatabase(settings.Database);
        Tasks = database.GetCollection<BsonDocument>(settings.TasksCollection);
        Events = database.GetCollection<BsonDocument>(settings.EventsCollection);
        EventCounters = database.GetCollection<BsonDocument>(settings.EventCountersCollection);
        Approvals = database.GetCollection<BsonDocument>(settings.ApprovalsCollection);
        ApprovalRules = database.GetCollection<BsonDocument>(settings.ApprovalRulesCollection);
        Memories = database.GetCollection<BsonDocument>(settings.MemoriesCollection);
        Experiences = database.GetCollection<BsonDocument>(settings.ExperiencesCollection);
    }

    /// <summary>The deployment's hosts, as <c>host:port</c>, comma-separated.</summary>
    public string Servers { get; }

    public string DatabaseName { get; }

    public IMongoCollection<BsonDocument> Tasks { get; }

    public IMongoCollection<BsonDocument> Events { get; }

    public IMongoCollection<BsonDocument> EventCounters { get; }

    public IMongoCollection<BsonDocument> Approvals { get; }

    public IMongoCollection<BsonDocument> ApprovalRules { get; }

    public IMongoCollection<BsonDocument> Memories { get; }

    public IMongoCollection<BsonDocument> Experiences { get; }

    /// <summary>Runs <paramref name="work"/> once the indexes exist; driver errors surface in the ports' terms.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureIndexesAsync(cancellationToken);
            return await work();
        }
        catch (Exception ex) when (MongoErrors.IsTransient(ex))
        {
            throw Unavailable(ex);
        }
        catch (Exception ex) when (ex is MongoException or BsonException)
        {
            throw new InvalidOperationException($"MongoDB at {Servers} (database {DatabaseName}) refused the operation: {ex.Message}", ex);
        }
    }

    public Task RunAsync(Func<Task> work, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await work();
            return true;
        }, cancellationToken);

    public StoreUnavailableException Unavailable(Exception exception) =>
        new($"MongoDB at {Servers} (Mongo:ConnectionString) is unavailable: {Reason(exception)}", exception);

    /// <summary>
    /// Why the store is unreachable, in one line: a server selection timeout's own message holds the whole cluster
    /// view with stack traces, so it is cut to what each host answered (refused, timed out, unknown name…).
    /// </summary>
    public string Reason(Exception exception)
    {
        if (exception is not TimeoutException || !exception.Message.Contains("selecting a server", StringComparison.Ordinal))
        {
            return exception.Message;
        }

        var causes = client.Cluster.Description.Servers
            .Where(server => server.HeartbeatException is not null)
            .Select(server => $"{server.EndPoint}: {server.HeartbeatException!.GetBaseException().Message}")
            .ToList();
        var waited = $"no server was selected within {client.Settings.ServerSelectionTimeout.TotalSeconds:0.###} s";
        return causes.Count == 0 ? waited : $"{waited} ({string.Join("; ", causes)})";
    }

    /// <summary>Creates every index once; creating one that exists with the same keys and options changes nothing.</summary>
    public async Task EnsureIndexesAsync(CancellationToken cancellationToken)
    {
        if (indexesReady)
        {
            return;
        }

        await indexGate.WaitAsync(cancellationToken);
        try
        {
            if (!indexesReady)
            {
                foreach (var (collection, indexes) in MongoIndexes.Of(this))
                {
                    await collection.Indexes.CreateManyAsync(indexes.Select(index => index.ToModel()), cancellationToken);
                }

                indexesReady = true;
            }
        }
        finally
        {
            indexGate.Release();
        }
    }

    public void Dispose()
    {
        client.Dispose();
        indexGate.Dispose();
    }
}
