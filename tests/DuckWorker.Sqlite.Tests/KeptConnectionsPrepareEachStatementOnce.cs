using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DuckWorker.Sqlite.Tests;

/// <summary>
/// The store keeps its connections open between uses, and each keeps the statements it prepared: a statement
/// run again is bound to its new values and run, not parsed and planned again. What is kept must never change a
/// result, and must be let go: a connection a failure left is not used again, and a disposed store closes them.
/// </summary>
public sealed class KeptConnectionsPrepareEachStatementOnce : IDisposable
{
    private const string Echo = "SELECT $value;";
    private const int SqliteStmtStatusRun = 6;

    private readonly string folder = Directory.CreateTempSubdirectory("duck-sqlite-kept-").FullName;
    private readonly SqliteDatabase database;

    public KeptConnectionsPrepareEachStatementOnce() => database = SqliteStoreProvider.Open(Path.Join(folder, "duck.db"));

    [Fact]
    public async Task AStatementRunAgainIsTheOnePreparedBeforeWithTheNewValues()
    {
        var ct = TestContext.Current.CancellationToken;
        var results = new List<object?>();
        for (var i = 1; i <= 5; i++)
        {
            results.Add(await database.RunAsync(
                connection =>
                {
                    // SQLitePCL lists a connection's statements only once asked to track them.
                    connection.Handle!.enable_sqlite3_next_stmt(true);
                    return ScalarAsync(connection, Echo, i);
                },
                ct));
        }

        var (statements, runs) = await database.RunAsync(connection => Task.FromResult(PreparedOf(connection, Echo)), ct);

        Assert.Equal([1L, 2L, 3L, 4L, 5L], results);
        Assert.Equal((1, 5), (statements, runs));
    }

    [Fact]
    public async Task TwoCommandsOfOneTextInUseAtOnceAreTwoCommands()
    {
        var (outer, inner) = await database.RunAsync(
            async connection =>
            {
                await using var first = connection.Command(Echo, ("$value", "outer"));
                await using var reader = await first.ExecuteReaderAsync(TestContext.Current.CancellationToken);
                await reader.ReadAsync(TestContext.Current.CancellationToken);
                var inner = await ScalarAsync(connection, Echo, "inner");
                return (reader.GetString(0), inner);
            },
            TestContext.Current.CancellationToken);

        Assert.Equal(("outer", (object?)"inner"), (outer, inner));
    }

    [Fact]
    public async Task AConnectionWhoseWorkFailedIsNotUsedAgain()
    {
        var ct = TestContext.Current.CancellationToken;
        SqliteConnection? failed = null;
        await Assert.ThrowsAsync<SqliteException>(() => database.RunAsync<object?>(
            async connection =>
            {
                failed = connection;
                return await ScalarAsync(connection, "SELECT * FROM no_such_table;", 0);
            },
            ct));

        var next = await database.RunAsync(Task.FromResult, ct);

        Assert.NotSame(failed, next);
        Assert.Equal(System.Data.ConnectionState.Closed, failed!.State);
    }

    [Fact]
    public async Task ADisposedStoreClosesItsConnectionsAndLeavesOneFile()
    {
        var ct = TestContext.Current.CancellationToken;
        await new SqliteMemoryStore(database).AddAsync(
            new() { MemoryId = "m1", Workspace = "/w", Scope = "workspace", MemoryType = "fact", Text = "kept", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch },
            ct);
        var kept = await database.RunAsync(Task.FromResult, ct);

        database.Dispose();
        SqliteConnection.ClearAllPools();

        Assert.Equal(System.Data.ConnectionState.Closed, kept.State);
        Assert.False(File.Exists(database.FilePath + "-wal"), "SQLite removes the write-ahead log when the file's last connection closes.");
    }

    public void Dispose()
    {
        database.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, object value)
    {
        await using var command = connection.Command(sql, ("$value", value));
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The statements of <paramref name="sql"/> SQLite holds prepared on the connection, and how often they ran in all.</summary>
    private static (int Statements, int Runs) PreparedOf(SqliteConnection connection, string sql)
    {
        var (statements, runs) = (0, 0);
        for (var statement = raw.sqlite3_next_stmt(connection.Handle, null); statement is not null; statement = raw.sqlite3_next_stmt(connection.Handle, statement))
        {
            if (raw.sqlite3_sql(statement).utf8_to_string() == sql)
            {
                statements++;
                runs += raw.sqlite3_stmt_status(statement, SqliteStmtStatusRun, 0);
            }
        }

        return (statements, runs);
    }
}
