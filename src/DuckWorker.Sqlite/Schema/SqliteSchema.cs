namespace DuckWorker.Sqlite.Schema;

/// <summary>
/// The tables of the embedded store. <c>PRAGMA user_version</c> records which version a file has: a new file
/// gets the current tables, an older one is migrated step by step, and a file from a newer DuckWorker is
/// refused rather than misread.
/// </summary>
internal static class SqliteSchema
{
    public const int Version = 8;

    // Declared before Create, which is made of them: static fields are initialized in the order they are written.
    private static readonly string MemoryChangeLog = ChangeLog("memories", "memory_id", "memory_changes", "memories");

    private static readonly string LessonChangeLog = ChangeLog("experiences", "record_id", "lesson_changes", "lessons");

    public static readonly string Create = """
        CREATE TABLE IF NOT EXISTS tasks (
            task_id TEXT PRIMARY KEY,
            job_id TEXT NOT NULL UNIQUE,
            message TEXT NOT NULL,
            workspace TEXT,
            debug INTEGER NOT NULL,
            status TEXT NOT NULL,
            final_response TEXT,
            reasoning_content TEXT,
            error TEXT,
            context TEXT NOT NULL,
            reasoning TEXT,
            reflect INTEGER NOT NULL,
            reply_to TEXT,
            lease_owner TEXT,
            lease_expires_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            cancel_requested_by TEXT,
            cancel_reason TEXT,
            cancel_requested_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS tasks_by_status ON tasks (status, updated_at);
        CREATE INDEX IF NOT EXISTS tasks_by_lease ON tasks (status, lease_expires_at);

        -- The primary key is the guard of the event log: one seq per task, once.
        CREATE TABLE IF NOT EXISTS events (
            task_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event_type TEXT NOT NULL,
            payload TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (task_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS approvals (
            approval_id TEXT PRIMARY KEY,
            task_id TEXT NOT NULL,
            workspace TEXT NOT NULL,
            action_index INTEGER NOT NULL,
            action TEXT NOT NULL,
            normalized_tool TEXT NOT NULL,
            normalized_key TEXT NOT NULL,
            reason TEXT NOT NULL,
            risk_level TEXT NOT NULL,
            forever_scope TEXT NOT NULL,
            decision TEXT,
            decided_by TEXT,
            created_at TEXT NOT NULL,
            decided_at TEXT,
            closed_reason TEXT,
            closed_at TEXT,
            comment TEXT,
            edited_args TEXT
        );
        CREATE INDEX IF NOT EXISTS approvals_by_task ON approvals (task_id, created_at);
        CREATE INDEX IF NOT EXISTS approvals_by_created ON approvals (created_at);

        CREATE TABLE IF NOT EXISTS approval_rules (
            workspace TEXT NOT NULL,
            tool TEXT NOT NULL,
            action_key TEXT NOT NULL,
            approval_id TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (workspace, tool, action_key)
        ) WITHOUT ROWID;

        CREATE TABLE IF NOT EXISTS memories (
            memory_id TEXT PRIMARY KEY,
            workspace TEXT NOT NULL,
            scope TEXT NOT NULL,
            memory_type TEXT NOT NULL,
            text TEXT NOT NULL,
            importance REAL NOT NULL,
            metadata TEXT NOT NULL,
            task_id TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            embedding BLOB,
            embedded_by TEXT
        );
        CREATE INDEX IF NOT EXISTS memories_by_workspace ON memories (workspace, created_at);
        CREATE INDEX IF NOT EXISTS memories_by_scope ON memories (scope, workspace);

        CREATE TABLE IF NOT EXISTS experiences (
            record_id TEXT PRIMARY KEY,
            task_id TEXT NOT NULL,
            workspace TEXT NOT NULL,
            summary TEXT NOT NULL,
            outcome TEXT NOT NULL,
            reusable_lesson TEXT,
            created_at TEXT NOT NULL,
            lesson_embedding BLOB,
            lesson_embedded_by TEXT
        );
        CREATE INDEX IF NOT EXISTS experiences_by_task ON experiences (task_id);
        """ + MemoryChangeLog + TaskListingIndexes + LessonChangeLog;

    /// <summary>
    /// The task listing (<c>duck tasks list</c>, the console's board) shows the newest tasks first, all of them or
    /// those of one status or workspace: each of these walks its index from the newest end and stops at the
    /// page's size, where without them every listing read and sorted the whole table.
    /// </summary>
    private const string TaskListingIndexes = """

        CREATE INDEX IF NOT EXISTS tasks_by_created ON tasks (created_at, task_id);
        CREATE INDEX IF NOT EXISTS tasks_by_status_created ON tasks (status, created_at, task_id);
        CREATE INDEX IF NOT EXISTS tasks_by_workspace_created ON tasks (workspace, created_at, task_id);
        """;

    /// <summary>
    /// Every row of <paramref name="table"/> written, whoever wrote it (this process, another worker, <c>duck</c>, a
    /// hand-made SQL), leaves its id in <paramref name="log"/>, so that an in-process recall index can catch up by
    /// reading only what came after the last change it saw. Only the newest 10,000 changes are kept: an index further
    /// behind reloads.
    /// </summary>
    private static string ChangeLog(string table, string id, string log, string triggers) => $"""

        CREATE TABLE IF NOT EXISTS {log} (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            {id} TEXT NOT NULL
        );
        CREATE TRIGGER IF NOT EXISTS {triggers}_added AFTER INSERT ON {table}
        BEGIN
            INSERT INTO {log} ({id}) VALUES (NEW.{id});
        END;
        CREATE TRIGGER IF NOT EXISTS {triggers}_changed AFTER UPDATE ON {table}
        BEGIN
            INSERT INTO {log} ({id}) VALUES (OLD.{id});
            INSERT INTO {log} ({id}) SELECT NEW.{id} WHERE NEW.{id} <> OLD.{id};
        END;
        CREATE TRIGGER IF NOT EXISTS {triggers}_removed AFTER DELETE ON {table}
        BEGIN
            INSERT INTO {log} ({id}) VALUES (OLD.{id});
        END;
        CREATE TRIGGER IF NOT EXISTS {log}_pruned AFTER INSERT ON {log}
        BEGIN
            DELETE FROM {log} WHERE seq <= NEW.seq - 10000;
        END;
        """;

    /// <summary>The steps that bring a file of the version before each key up to that version.</summary>
    public static IReadOnlyDictionary<int, string> Migrations { get; } = new Dictionary<int, string>
    {
        [2] = """
            ALTER TABLE memories ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
            UPDATE memories SET updated_at = created_at;
            ALTER TABLE memories ADD COLUMN embedding BLOB;
            CREATE INDEX IF NOT EXISTS memories_by_scope ON memories (scope, workspace);
            ALTER TABLE experiences ADD COLUMN lesson_embedding BLOB;
            """,
        [3] = """
            ALTER TABLE tasks ADD COLUMN cancel_requested_by TEXT;
            ALTER TABLE tasks ADD COLUMN cancel_reason TEXT;
            ALTER TABLE tasks ADD COLUMN cancel_requested_at TEXT;
            ALTER TABLE approvals ADD COLUMN closed_reason TEXT;
            ALTER TABLE approvals ADD COLUMN closed_at TEXT;
            CREATE INDEX IF NOT EXISTS approvals_by_created ON approvals (created_at);
            """,
        [4] = """
            ALTER TABLE approvals ADD COLUMN comment TEXT;
            ALTER TABLE approvals ADD COLUMN edited_args TEXT;
            """,

        // Vectors name their embedder. Those stored before did not; which model made them is not known, so
        // they are 'unknown' (EmbedderName.Unknown): no search asks for it, and `duck memories reembed` replaces them.
        [5] = """
            ALTER TABLE memories ADD COLUMN embedded_by TEXT;
            UPDATE memories SET embedded_by = 'unknown' WHERE embedding IS NOT NULL;
            ALTER TABLE experiences ADD COLUMN lesson_embedded_by TEXT;
            UPDATE experiences SET lesson_embedded_by = 'unknown' WHERE lesson_embedding IS NOT NULL;
            """,
        [6] = MemoryChangeLog,
        [7] = TaskListingIndexes,
        [8] = LessonChangeLog,
    };
}
