using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// Reads what <see cref="MemoryVectorIndex"/> needs from the file: all memories' vectors, or those of the memories
/// named in <c>memory_changes</c> (which triggers fill, <see cref="Schema.SqliteSchema"/>) after a given change.
/// </summary>
internal static class MemoryChangeLog
{
    /// <summary>
    /// What a memory brings to the index after its id; a vector stored without its embedder's name is
    /// <see cref="DuckWorker.Runtime.Stores.EmbedderName.Unknown"/>, as the store reads it.
    /// </summary>
    private const string Columns = "m.workspace, m.scope = 'global', COALESCE(m.embedded_by, 'unknown') AS embedder, m.embedding";

    /// <summary>The newest change's number (0 before the first) and the oldest one still kept (newest + 1 when none is).</summary>
    public static (long Oldest, long Newest) Bounds(SqliteConnection connection)
    {
        var bounds = (Oldest: 0L, Newest: 0L);
        SqliteRows.Read(
            connection,
            """
            SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'memory_changes'), 0), (SELECT min(seq) FROM memory_changes);
            """,
            new Dictionary<string, object>(),
            row =>
            {
                var newest = raw.sqlite3_column_int64(row, 0);
                var oldest = raw.sqlite3_column_type(row, 1) == raw.SQLITE_NULL ? newest + 1 : raw.sqlite3_column_int64(row, 1);
                bounds = (oldest, newest);
            });
        return bounds;
    }

    /// <summary>Puts every memory that has a vector into <paramref name="vectors"/>, straight from where SQLite holds it.</summary>
    public static void ReadAll(SqliteConnection connection, IndexedVectors vectors) =>
        SqliteRows.Read(
            connection,
            $"SELECT m.memory_id, {Columns} FROM memories AS m WHERE m.embedding IS NOT NULL;",
            new Dictionary<string, object>(),
            row => vectors.Put(
                raw.sqlite3_column_text(row, 0).utf8_to_string(),
                raw.sqlite3_column_text(row, 1).utf8_to_string(),
                raw.sqlite3_column_int(row, 2) != 0,
                raw.sqlite3_column_text(row, 3).utf8_to_string(),
                MemoryMarshal.Cast<byte, float>(raw.sqlite3_column_blob(row, 4))));

    /// <summary>Each memory changed after change <paramref name="seen"/>, as it is now: with no vector when it was forgotten.</summary>
    public static List<ChangedMemory> ReadChangedSince(SqliteConnection connection, long seen)
    {
        var changed = new List<ChangedMemory>();
        SqliteRows.Read(
            connection,
            $"""
            SELECT c.memory_id, {Columns}
            FROM (SELECT DISTINCT memory_id FROM memory_changes WHERE seq > $seen) AS c
            LEFT JOIN memories AS m ON m.memory_id = c.memory_id;
            """,
            new Dictionary<string, object> { ["$seen"] = seen },
            row => changed.Add(new ChangedMemory(
                raw.sqlite3_column_text(row, 0).utf8_to_string(),
                raw.sqlite3_column_text(row, 1).utf8_to_string() ?? "",
                raw.sqlite3_column_int(row, 2) != 0,
                raw.sqlite3_column_text(row, 3).utf8_to_string() ?? "",
                MemoryMarshal.Cast<byte, float>(raw.sqlite3_column_blob(row, 4)).ToArray())));
        return changed;
    }
}
