using System.Text.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite.Tests;

/// <summary>
/// The writes of one process are committed in batches: whatever waits while the file's write lock is taken
/// goes in together. Each write must still succeed or fail on its own, and a write whose caller stopped
/// waiting before it ran must not run.
/// </summary>
public sealed class WritesCommitTogetherAndFailAlone : IAsyncLifetime
{
    private readonly string folder = Directory.CreateTempSubdirectory("duck-sqlite-writes-").FullName;
    private SqliteDatabase database = null!;
    private SqliteConnection locker = null!;

    public async ValueTask InitializeAsync()
    {
        database = SqliteStoreProvider.Open(Path.Join(folder, "duck.db"));
        await new SqliteMemoryStore(database).AddAsync(Memory("taken"), TestContext.Current.CancellationToken);
        locker = new SqliteConnection($"Data Source={database.FilePath};Pooling=false");
        await locker.OpenAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AFailingWriteIsUndoneAloneAndTheOthersCommit()
    {
        var memories = new SqliteMemoryStore(database);
        IEventLog events = new SqliteEventLog(database, TimeProvider.System);
        var writes = new List<Task>();
        Task duplicate;
        await using (await HoldTheWriteLockAsync())
        {
            for (var i = 0; i < 20; i++)
            {
                writes.Add(memories.AddAsync(Memory($"m{i}"), CancellationToken.None));
                writes.Add(events.AppendAsync("task-1", "note", JsonSerializer.SerializeToElement(new { i }), CancellationToken.None));
            }

            duplicate = memories.AddAsync(Memory("taken"), CancellationToken.None);
            writes.Add(memories.AddAsync(Memory("after"), CancellationToken.None));
            await WaitUntilQueuedAsync();
        }

        var refused = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Contains("UNIQUE", refused.Message, StringComparison.Ordinal);
        await Task.WhenAll(writes);
        var stored = await memories.ListAsync(null, null, null, 100, TestContext.Current.CancellationToken);
        Assert.Equal(22, stored.Count);
        var log = await events.ReadAsync("task-1", 0, TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(1, 20).Select(seq => (long)seq), log.Select(e => e.Seq));
    }

    [Fact]
    public async Task AWriteWhoseCallerStoppedWaitingDoesNotRun()
    {
        var memories = new SqliteMemoryStore(database);
        using var stop = new CancellationTokenSource();
        Task cancelled;
        Task kept;
        await using (await HoldTheWriteLockAsync())
        {
            kept = memories.AddAsync(Memory("first"), CancellationToken.None);
            await WaitUntilQueuedAsync();
            cancelled = memories.AddAsync(Memory("cancelled"), stop.Token);
            await stop.CancelAsync();
        }

        await kept;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(await memories.GetAsync("cancelled", TestContext.Current.CancellationToken));
        Assert.NotNull(await memories.GetAsync("first", TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await locker.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static MemoryRecord Memory(string id) => new()
    {
        MemoryId = id,
        Workspace = "/w",
        Scope = "workspace",
        MemoryType = "fact",
        Text = "text of " + id,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>Another connection takes the write lock, as another process would; disposing gives it back.</summary>
    private async Task<IAsyncDisposable> HoldTheWriteLockAsync()
    {
        await using (var begin = locker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return new Release(locker);
    }

    /// <summary>The writer has taken the first write and waits for the lock; the rest wait in the queue.</summary>
    private static Task WaitUntilQueuedAsync() => Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);

    private sealed class Release(SqliteConnection locker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync();
        }
    }
}
