using System.Text.Json.Nodes;
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
            await ScalarAsync(connection, VersionTwoFromCurrent);
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
        await memories.UpdateAsync(old with { Embedding = [1, 0], EmbeddedBy = "test/model" }, TestContext.Current.CancellationToken);
        Assert.Single(await memories.SearchAsync("/w", "test/model", new float[] { 1, 0 }, 5, 0.5, TestContext.Current.CancellationToken));
        await using var check = new SqliteConnection($"Data Source={path}");
        await check.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal((long)SqliteSchema.Version, await ScalarAsync(check, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task AFileOfTheSecondVersionIsMigratedKeepingItsTasksAndApprovals()
    {
        var path = Path.Join(folder, "v2.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await ScalarAsync(connection, SqliteSchema.Create);
            await ScalarAsync(connection, VersionTwoFromCurrent);
            await ScalarAsync(connection, """
                INSERT INTO tasks (task_id, job_id, message, workspace, debug, status, context, reflect, attempts, created_at, updated_at)
                VALUES ('t1', 'j1', 'old task', '/w', 0, 'waiting_for_approval', '[]', 1, 0, '2026-01-02T03:04:05.0000000+00:00', '2026-01-02T03:04:05.0000000+00:00');
                INSERT INTO approvals (approval_id, task_id, workspace, action_index, action, normalized_tool, normalized_key, reason, risk_level, forever_scope, created_at)
                VALUES ('a1', 't1', '/w', 1, '{"tool":"fs_write","args":{}}', 'fs_write', 'k', '', '', '', '2026-01-02T03:04:05.0000000+00:00');
                PRAGMA user_version = 2;
                """);
        }

        var database = SqliteStoreProvider.Open(path);
        var tasks = new SqliteTaskStore(database);
        var approvals = new SqliteApprovalStore(database);

        Assert.Null((await tasks.GetAsync("t1", TestContext.Current.CancellationToken))!.CancelRequest);
        Assert.Equal("a1", (await approvals.FindPendingAsync("t1", TestContext.Current.CancellationToken))!.ApprovalId);
        Assert.NotNull(await approvals.TryCloseAsync("a1", "expired", DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));
        var asked = await tasks.TryRequestCancelAsync("t1", new CancelRequest("alice", null, DateTimeOffset.UnixEpoch), TestContext.Current.CancellationToken);
        Assert.Equal("alice", asked!.CancelRequest!.By);
    }

    [Fact]
    public async Task AFileOfTheThirdVersionIsMigratedAndKeepsCommentsAndEditsFromThenOn()
    {
        var path = Path.Join(folder, "v3.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await ScalarAsync(connection, SqliteSchema.Create);
            await ScalarAsync(connection, VersionThreeFromCurrent);
            await ScalarAsync(connection, """
                INSERT INTO approvals (approval_id, task_id, workspace, action_index, action, normalized_tool, normalized_key, reason, risk_level, forever_scope, created_at)
                VALUES ('a1', 't1', '/w', 1, '{"tool":"shell_exec_safe","args":{"command":"make"}}', 'shell_exec_safe', 'make', '', '', '', '2026-01-02T03:04:05.0000000+00:00');
                PRAGMA user_version = 3;
                """);
        }

        var approvals = new SqliteApprovalStore(SqliteStoreProvider.Open(path));

        var old = (await approvals.GetAsync("a1", TestContext.Current.CancellationToken))!;
        Assert.Equal(((string?)null, (JsonObject?)null), (old.Comment, old.EditedArgs));
        var decided = await approvals.TryDecideAsync("a1", ApprovalDecision.AllowOnce, "ann", DateTimeOffset.UnixEpoch, "only the tests", new JsonObject { ["command"] = "make test" }, TestContext.Current.CancellationToken);
        Assert.Equal(("only the tests", "make test", "make test"), (decided!.Comment, decided.EditedArgs!["command"]!.GetValue<string>(), decided.ApprovedAction.StringArg("command")));
    }

    [Fact]
    public async Task AFileOfTheFourthVersionIsMigratedWithItsVectorsOfAnUnknownEmbedderThatNoSearchAsksFor()
    {
        var path = Path.Join(folder, "v4.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await ScalarAsync(connection, SqliteSchema.Create);
            await ScalarAsync(connection, VersionFourFromCurrent);
            await ScalarAsync(connection, """
                INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at, updated_at, embedding)
                VALUES ('vector', '/w', 'workspace', 'fact', 'with', 0.5, '{}', NULL, '2026-01-02T03:04:05.0000000+00:00', '2026-01-02T03:04:05.0000000+00:00', x'0000803f00000000'),
                       ('none', '/w', 'workspace', 'fact', 'without', 0.5, '{}', NULL, '2026-01-02T03:04:05.0000000+00:00', '2026-01-02T03:04:05.0000000+00:00', NULL);
                INSERT INTO experiences (record_id, task_id, workspace, summary, outcome, reusable_lesson, created_at, lesson_embedding)
                VALUES ('r1', 't1', '/w', 'did', 'success', 'check first', '2026-01-02T03:04:05.0000000+00:00', x'0000803f00000000');
                PRAGMA user_version = 4;
                """);
        }

        var database = SqliteStoreProvider.Open(path);
        var memories = new SqliteMemoryStore(database);
        var experiences = new SqliteExperienceStore(database);
        var ct = TestContext.Current.CancellationToken;

        var old = (await memories.GetAsync("vector", ct))!;
        Assert.Equal([1f, 0f], old.Embedding!);
        Assert.Equal(EmbedderName.Unknown, old.EmbeddedBy);
        Assert.Null((await memories.GetAsync("none", ct))!.EmbeddedBy);
        Assert.Equal(EmbedderName.Unknown, (await experiences.GetAsync("r1", ct))!.LessonEmbeddedBy);
        Assert.Empty(await memories.SearchAsync("/w", "ollama/nomic-embed-text", new float[] { 1, 0 }, 5, -1, ct));
        Assert.Empty(await experiences.SearchLessonsAsync("ollama/nomic-embed-text", new float[] { 1, 0 }, 5, -1, ct));
    }

    [Fact]
    public async Task AFileOfTheSixthVersionGainsTheTaskListingsIndexesKeepingItsTasks()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Join(folder, "v6.db");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync(ct);
            await ScalarAsync(connection, SqliteSchema.Create);
            await ScalarAsync(connection, VersionSixFromCurrent);
            await ScalarAsync(connection, """
                INSERT INTO tasks (task_id, job_id, message, workspace, debug, status, context, reflect, created_at, updated_at)
                VALUES ('t1', 'j1', 'hello', '/w', 0, 'completed', '[]', 0, '2026-01-02T03:04:05.0000000Z', '2026-01-02T03:04:05.0000000Z');
                PRAGMA user_version = 6;
                """);
        }

        var listed = await new SqliteTaskStore(SqliteStoreProvider.Open(path)).ListAsync(new TaskFilter(Workspace: "/w"), 10, ct);

        Assert.Equal(["t1"], listed.Select(t => t.TaskId));
        await using var check = new SqliteConnection($"Data Source={path}");
        await check.OpenAsync(ct);
        Assert.Equal((long)SqliteSchema.Version, await ScalarAsync(check, "PRAGMA user_version;"));
        Assert.Equal(3L, await ScalarAsync(check, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('tasks_by_created', 'tasks_by_status_created', 'tasks_by_workspace_created');"));
    }

    /// <summary>Turns the current tables into those of version 7, before the lessons had their change log.</summary>
    private const string VersionSevenFromCurrent = """
        DROP TRIGGER lessons_added;
        DROP TRIGGER lessons_changed;
        DROP TRIGGER lessons_removed;
        DROP TRIGGER lesson_changes_pruned;
        DROP TABLE lesson_changes;
        """;

    /// <summary>Turns the current tables into those of version 6, before the task listing had its indexes.</summary>
    private const string VersionSixFromCurrent = VersionSevenFromCurrent + """
        DROP INDEX tasks_by_created;
        DROP INDEX tasks_by_status_created;
        DROP INDEX tasks_by_workspace_created;
        """;

    /// <summary>Turns the current tables into those of version 4, before vectors named their embedder.</summary>
    private const string VersionFourFromCurrent = VersionSixFromCurrent + """
        ALTER TABLE memories DROP COLUMN embedded_by;
        ALTER TABLE experiences DROP COLUMN lesson_embedded_by;
        """;

    /// <summary>Turns the current tables into those of version 3, before decisions had comments and edits.</summary>
    private const string VersionThreeFromCurrent = VersionFourFromCurrent + """
        ALTER TABLE approvals DROP COLUMN comment;
        ALTER TABLE approvals DROP COLUMN edited_args;
        """;

    /// <summary>Turns the current tables into those of version 2, before tasks could be cancelled and approvals closed.</summary>
    private const string VersionTwoFromCurrent = VersionThreeFromCurrent + """
        DROP INDEX approvals_by_created;
        ALTER TABLE tasks DROP COLUMN cancel_requested_by;
        ALTER TABLE tasks DROP COLUMN cancel_reason;
        ALTER TABLE tasks DROP COLUMN cancel_requested_at;
        ALTER TABLE approvals DROP COLUMN closed_reason;
        ALTER TABLE approvals DROP COLUMN closed_at;
        """;

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
