using DuckWorker.Sqlite;
using DuckWorker.Testing.Stores;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Sqlite.Tests;

/// <summary>A new SQLite file per store, all under one temporary folder removed at the end.</summary>
public sealed class SqliteStoreProvider : IStoreProvider, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("duck-sqlite-").FullName;

    public string? UnavailableReason => null;

    public Task<StoreSet> CreateAsync(CancellationToken cancellationToken)
    {
        var database = Open(Path.Join(folder, Guid.NewGuid().ToString("N") + ".db"));
        return Task.FromResult(new StoreSet(
            new SqliteTaskStore(database),
            new SqliteEventLog(database, TimeProvider.System),
            new SqliteApprovalStore(database),
            new SqliteApprovalRuleStore(database),
            new SqliteMemoryStore(database),
            new SqliteExperienceStore(database)));
    }

    public static SqliteDatabase Open(string path) => new(Options.Create(new SqliteOptions { Path = path }));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
