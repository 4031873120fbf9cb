using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite.Schema;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite.Tests;

public sealed class TheSqliteFileIsOneFileInWalMode : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("duck-sqlite-file-").FullName;

    [Fact]
    public async Task TheStoreCreatesItsFolderAndSchemaAndUsesWal()
    {
        var path = Path.Join(folder, "nested", "duck.db");
        var tasks = new SqliteTaskStore(SqliteStoreProvider.Open(path));

        Assert.Null(await tasks.GetAsync("nothing", TestContext.Current.CancellationToken));

        Assert.True(File.Exists(path));
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteSchema.Version, await ScalarAsync(connection, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task AFileFromANewerVersionIsRefusedRatherThanMisread()
    {
        var path = Path.Join(folder, "newer.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await ScalarAsync(connection, $"PRAGMA user_version = {SqliteSchema.Version + 1};");
        }

        var tasks = new SqliteTaskStore(SqliteStoreProvider.Open(path));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => tasks.GetAsync("x", TestContext.Current.CancellationToken));
        Assert.Contains("newer than this DuckWorker understands", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileOfTheFirstVersionIsMigratedKeepingItsMemories()
    {
        var path = Path.Join(folder, "v1.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await ScalarAsync(connection, SqliteSchema.Create);
            await ScalarAsync(connection, """
                DROP INDEX memories_by_scope;
                ALTER TABLE memories DROP COLUMN updated_at;
                ALTER TABLE memories DROP COLUMN embedding;
                ALTER TABLE experiences DROP COLUMN lesson_embedding;
                INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at)
                VALUES ('old', '/w', 'workspace', 'fact', 'kept', 0.5, '{}', NULL, '2026-01-02T03:04:05.0000000+00:00');
                PRAGMA user_version = 1;
                """);
        }

        var memories = new SqliteMemoryStore(SqliteStoreProvider.Open(path));

        var old = (await memories.GetAsync("old", TestContext.Current.CancellationToken))!;
        Assert.Equal(("kept", old.CreatedAt, (float[]?)null), (old.Text, old.UpdatedAt, old.Embedding));
        await memories.UpdateAsync(old with { Embedding = [1, 0] }, TestContext.Current.CancellationToken);
        Assert.Single(await memories.SearchAsync("/w", new float[] { 1, 0 }, 5, 0.5, TestContext.Current.CancellationToken));
        await using var check = new SqliteConnection($"Data Source={path}");
        await check.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal((long)SqliteSchema.Version, await ScalarAsync(check, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task AFileThatCannotBeOpenedIsReportedAsAnUnavailableStore()
    {
        var tasks = new SqliteTaskStore(SqliteStoreProvider.Open("/proc/duckworker-test/duck.db"));

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => tasks.GetAsync("x", TestContext.Current.CancellationToken));

        Assert.Contains("/proc/duckworker-test/duck.db (Sqlite:Path) is unavailable", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}
