using System.Collections.Concurrent;
using DuckWorker.Mongo.Exceptions;
using DuckWorker.Mongo.Indexes;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Configuration;

namespace DuckWorker.Mongo;

/// <summary>
/// The worker's one client to the MongoDB deployment and its collections. It creates the indexes on first use
/// (a failed attempt is tried again on the next call), and turns driver errors into the ports' terms:
/// transient ones into <see cref="StoreUnavailableException"/>, wrong credentials or TLS into
/// <see cref="MongoMisconfiguredException"/>, every other one into an <see cref="InvalidOperationException"/>,
/// so that no driver type crosses a port.
/// </summary>
/// <remarks>
/// The client is built on first use, not in the constructor: for a <c>mongodb+srv://</c> string building it
/// looks the name up in DNS, and a failed lookup must reach the start-up message, not escape from dependency
/// injection. Every collection reads from the primary whatever the connection string's read preference: the
/// store reads what it has just written (the loser of a race reads the winner's task), which a secondary may
/// not have yet.
/// </remarks>
internal sealed class MongoStore : IDisposable
{
    /// <summary>The settings of every collection of the store; see the remarks.</summary>
    public static readonly MongoCollectionSettings CollectionSettings = new() { ReadPreference = ReadPreference.Primary };

    private readonly MongoUrl url;
    private readonly MongoOptions settings;
    private readonly Lock clientGate = new();
    private readonly SemaphoreSlim indexGate = new(1, 1);
    private Connection? connection;
    private volatile bool indexesReady;

    public MongoStore(IOptions<MongoOptions> options)
    {
        settings = options.Value;
        url = MongoUrl.Create(settings.ConnectionString);
        // Only hosts and ports reach messages and logs: the connection string may carry a password.
        // A mongodb+srv name has no port of its own (the driver lists it with DNS's).
        Servers = url.Scheme == ConnectionStringScheme.MongoDBPlusSrv
            ? url.Server.Host
            : string.Join(",", url.Servers.Select(server => $"{server.Host}:{server.Port}"));
        DatabaseName = settings.Database;
    }

    /// <summary>The deployment's hosts, as <c>host:port</c>, comma-separated; or its mongodb+srv name.</summary>
    public string Servers { get; }

    public string DatabaseName { get; }

    public IMongoCollection<BsonDocument> Tasks => Connect().Collection(settings.TasksCollection);

    public IMongoCollection<BsonDocument> Events => Connect().Collection(settings.EventsCollection);

    public IMongoCollection<BsonDocument> Approvals => Connect().Collection(settings.ApprovalsCollection);

    public IMongoCollection<BsonDocument> ApprovalRules => Connect().Collection(settings.ApprovalRulesCollection);

    public IMongoCollection<BsonDocument> Memories => Connect().Collection(settings.MemoriesCollection);

    public IMongoCollection<BsonDocument> Experiences => Connect().Collection(settings.ExperiencesCollection);

    /// <summary>Runs <paramref name="work"/> once the indexes exist; driver errors surface in the ports' terms.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureIndexesAsync(cancellationToken);
            return await work();
        }
        catch (Exception ex) when (InPortTerms(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>A driver error as the ports know it; null for any other exception, which passes unchanged.</summary>
    public Exception? InPortTerms(Exception exception)
    {
        if (Misconfiguration(exception) is { } cause)
        {
            return new MongoMisconfiguredException(
                $"MongoDB at {Servers} refused the connection's settings; check the credentials and TLS options of Mongo:ConnectionString: {cause.Message}", exception);
        }

        if (MongoErrors.IsTransient(exception))
        {
            return Unavailable(exception);
        }

        return exception switch
        {
            // The driver encodes a document only as it sends it: one over the server's 16 MiB, or nested deeper
            // than 100 levels, fails there. (A FormatException of the mapping's own is about reading, not this.)
            FormatException { Source: "MongoDB.Bson" or "MongoDB.Driver" } or BsonSerializationException => new InvalidOperationException(
                $"MongoDB at {Servers} (database {DatabaseName}) cannot hold the document: {exception.Message} (a document is at most {DocumentLimits.MaxBytes / (1024 * 1024)} MiB and {DocumentLimits.MaxDepth} levels deep)", exception),
            MongoException or BsonException => new InvalidOperationException(
                $"MongoDB at {Servers} (database {DatabaseName}) refused the operation: {exception.Message}", exception),
            _ => null,
        };
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
        if (exception is not TimeoutException || !exception.Message.Contains("selecting a server", StringComparison.Ordinal) || connection is not { } connected)
        {
            return exception.Message;
        }

        var causes = connected.Client.Cluster.Description.Servers
            .Where(server => server.HeartbeatException is not null)
            .Select(server => $"{server.EndPoint}: {server.HeartbeatException!.GetBaseException().Message}")
            .ToList();
        var waited = $"no server was selected within {connected.Client.Settings.ServerSelectionTimeout.TotalSeconds:0.###} s";
        return causes.Count == 0 ? waited : $"{waited} ({string.Join("; ", causes)})";
    }

    /// <summary>Brings every index to its definition once; an index already as defined is left alone.</summary>
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
                    await MongoIndexMigration.ApplyAsync(collection, indexes, cancellationToken);
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
        connection?.Client.Dispose();
        indexGate.Dispose();
    }

    /// <summary>
    /// The cause when <paramref name="exception"/> means wrong settings: itself, or for a server selection that
    /// timed out, what a host answered the driver's monitor (a TLS handshake that fails shows only there).
    /// </summary>
    private Exception? Misconfiguration(Exception exception)
    {
        if (MongoErrors.IsMisconfiguration(exception))
        {
            return exception;
        }

        return exception is TimeoutException && connection is { } connected
            ? connected.Client.Cluster.Description.Servers.Select(server => server.HeartbeatException).FirstOrDefault(heartbeat => heartbeat is not null && MongoErrors.IsMisconfiguration(heartbeat))
            : null;
    }

    private Connection Connect()
    {
        if (connection is { } connected)
        {
            return connected;
        }

        lock (clientGate)
        {
            if (connection is null)
            {
                MongoClientSettings clientSettings;
                try
                {
                    clientSettings = MongoClientSettings.FromUrl(url);
                }
                catch (Exception ex) when (url.Scheme == ConnectionStringScheme.MongoDBPlusSrv)
                {
                    // Not kept: the next call looks the name up again, since DNS may answer then.
                    throw new StoreUnavailableException(
                        $"MongoDB at {Servers} (Mongo:ConnectionString) is unavailable: its mongodb+srv name could not be resolved: {ex.Message}", ex);
                }

                var client = new MongoClient(clientSettings);
                connection = new Connection(client, client.GetDatabase(settings.Database));
            }

            return connection;
        }
    }

    private sealed class Connection(MongoClient client, IMongoDatabase database)
    {
        private readonly ConcurrentDictionary<string, IMongoCollection<BsonDocument>> collections = new(StringComparer.Ordinal);

        public MongoClient Client { get; } = client;

        public IMongoCollection<BsonDocument> Collection(string name) =>
            collections.GetOrAdd(name, static (name, database) => database.GetCollection<BsonDocument>(name, CollectionSettings), database);
    }
}
