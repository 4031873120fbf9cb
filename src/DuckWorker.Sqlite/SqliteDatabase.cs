using System.Runtime.CompilerServices;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace DuckWorker.Sqlite;

/// <summary>
/// The embedded store's one file: keeps connections open between uses, creates the schema on first use, commits the
/// process's writes in batches, and turns transient SQLite errors (busy, locked, I/O, disk full) into
/// <see cref="StoreUnavailableException"/>.
/// </summary>
public sealed partial class SqliteDatabase : IDisposable
{
    // The connections kept open between uses, each with its prepared statements (PreparedCommands): as many as
    // run at once in a busy worker, its writer and its jobs' reads. More than that are closed after use.
    private const int MostKeptConnections = 8;

    private readonly string connectionString;
    private readonly SemaphoreSlim schemaGate = new(1, 1);
    private readonly Stack<SqliteConnection> kept = new();
    private bool disposed;

    // Pooled connections keep their native handle between uses: its settings are made once per handle.
    private readonly ConditionalWeakTable<sqlite3, object> configured = [];
    private volatile bool schemaReady;

    public SqliteDatabase(IOptions<SqliteOptions> options)
    {
        writer = new Lazy<Task>(() => Task.Run(WriteLoopAsync));
        FilePath = System.IO.Path.GetFullPath(options.Value.Path);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    /// <summary>Runs <paramref name="work"/> on an open connection; transient failures surface as <see cref="StoreUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await EnsureSchemaAsync(cancellationToken);
            var connection = TakeKept() ?? await OpenKeptAsync(cancellationToken);
            T result;
            try
            {
                result = await work(connection);
            }
            catch
            {
                // A connection a failure left in doubt (a disk gone, a file replaced) is not used again.
                Close(connection);
                throw;
            }

            PutBack(connection);
            return result;
        }
        catch (Exception ex) when (Unavailable(ex) is { } unavailable)
        {
            throw unavailable;
        }
    }

    /// <summary>
    /// The failure as a <see cref="StoreUnavailableException"/> when it is transient: SQLite busy, locked, I/O or
    /// disk full, or a folder that cannot be created or reached (a volume not mounted yet, or not writable).
    /// </summary>
    private StoreUnavailableException? Unavailable(Exception ex) =>
        (ex is SqliteException sqlite && IsTransient(sqlite)) || ex is IOException or UnauthorizedAccessException
            ? new StoreUnavailableException($"The SQLite store at {FilePath} (Sqlite:Path) is unavailable: {ex.Message}", ex)
            : null;

    public Task RunAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            await work(connection);
            return true;
        }, cancellationToken);


    /// <summary>Closes the connections kept between uses; one in use closes when its work ends.</summary>
    public void Dispose()
    {
        lock (kept)
        {
            disposed = true;
            while (kept.TryPop(out var connection))
            {
                Close(connection);
            }
        }
    }

    private SqliteConnection? TakeKept()
    {
        lock (kept)
        {
            return kept.TryPop(out var connection) ? connection : null;
        }
    }

    private async Task<SqliteConnection> OpenKeptAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        PreparedCommands.Keep(connection);
        return connection;
    }

    private void PutBack(SqliteConnection connection)
    {
        lock (kept)
        {
            if (!disposed && kept.Count < MostKeptConnections)
            {
                kept.Push(connection);
                return;
            }
        }

        Close(connection);
    }

    private static void Close(SqliteConnection connection)
    {
        PreparedCommands.Release(connection);
        connection.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!configured.TryGetValue(connection.Handle!, out _))
        {
            // With WAL, NORMAL syncs at checkpoints rather than at every commit: a crash of the process loses
            // nothing, a power cut at most the last commits, and appends stay fast.
            await Scalar(connection, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;");
            configured.AddOrUpdate(connection.Handle!, configured);
        }

        return connection;
    }

    /// <summary>Creates the schema once; a failed attempt (a disk that is not there yet) is tried again on the next call.</summary>
    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (schemaReady)
        {
            return;
        }

        await schemaGate.WaitAsync(cancellationToken);
        try
        {
            if (!schemaReady)
            {
                await CreateSchemaAsync();
                schemaReady = true;
            }
        }
        finally
        {
            schemaGate.Release();
        }
    }

    private async Task CreateSchemaAsync()
    {
        var folder = System.IO.Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = await OpenAsync(CancellationToken.None);
        var version = Convert.ToInt32(await Scalar(connection, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SqliteSchema.Version)
        {
            throw new InvalidOperationException(
                $"The SQLite store at {FilePath} has schema version {version}, newer than this DuckWorker understands ({SqliteSchema.Version}).");
        }

        // WAL lets readers (the CLI, a watcher) read while the worker writes; the setting is kept in the file.
        await Scalar(connection, "PRAGMA journal_mode = WAL;");
        await using var transaction = await connection.BeginTransactionAsync();
        var steps = version == 0
            ? [SqliteSchema.Create]
            : Enumerable.Range(version + 1, SqliteSchema.Version - version).Select(v => SqliteSchema.Migrations[v]);
        foreach (var step in steps)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = step;
            await command.ExecuteNonQueryAsync();
        }

        await using (var stamp = connection.CreateCommand())
        {
            stamp.CommandText = $"PRAGMA user_version = {SqliteSchema.Version};";
            await stamp.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    private static bool IsTransient(SqliteException ex) => ex.SqliteErrorCode switch
    {
        5 or 6 => true,   // SQLITE_BUSY, SQLITE_LOCKED: another writer held the file past the timeout
        10 or 13 => true, // SQLITE_IOERR, SQLITE_FULL: the disk may recover
        14 => true,       // SQLITE_CANTOPEN: the file or its folder is not reachable right now
        _ => false,
    };
}
