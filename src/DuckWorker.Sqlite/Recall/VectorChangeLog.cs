using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// Reads what a <see cref="VectorIndex"/> needs from the file: all of its source's vectors, or those named in its
/// change log (which triggers fill, <see cref="Schema.SqliteSchema"/>) after a given change.
/// </summary>
internal static class VectorChangeLog
{
    /// <summary>The newest change's number (0 before the first) and the oldest one still kept (newest + 1 when none is).</summary>
    public static (long Oldest, long Newest) Bounds(SqliteConnection connection, VectorSource source)
    {
        var bounds = (Oldest: 0L, Newest: 0L);
        SqliteRows.Read(
            connection,
            $"SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{source.Changes}'), 0), (SELECT min(seq) FROM {source.Changes});",
            new Dictionary<string, object>(),
            row =>
            {
                var newest = raw.sqlite3_column_int64(row, 0);
                var oldest = raw.sqlite3_column_type(row, 1) == raw.SQLITE_NULL ? newest + 1 : raw.sqlite3_column_int64(row, 1);
                bounds = (oldest, newest);
            });
        return bounds;
    }

    /// <summary>Puts every vector of the source into <paramref name="vectors"/>, straight from where SQLite holds it.</summary>
    public static void ReadAll(SqliteConnection connection, VectorSource source, IndexedVectors vectors) =>
        SqliteRows.Read(
            connection,
            source.ReadAll,
            new Dictionary<string, object>(),
            row => vectors.Put(
                raw.sqlite3_column_text(row, 0).utf8_to_string(),
                raw.sqlite3_column_text(row, 1).utf8_to_string(),
                raw.sqlite3_column_int(row, 2) != 0,
                raw.sqlite3_column_text(row, 3).utf8_to_string(),
                MemoryMarshal.Cast<byte, float>(raw.sqlite3_column_blob(row, 4))));

    /// <summary>Each entry changed after change <paramref name="seen"/>, as it is now: with no vector when it has none any more.</summary>
    public static List<ChangedVector> ReadChangedSince(SqliteConnection connection, VectorSource source, long seen)
    {
        var changed = new List<ChangedVector>();
        SqliteRows.Read(
            connection,
            source.ReadChangedSince,
            new Dictionary<string, object> { ["$seen"] = seen },
            row => changed.Add(new ChangedVector(
                raw.sqlite3_column_text(row, 0).utf8_to_string(),
                raw.sqlite3_column_text(row, 1).utf8_to_string() ?? "",
                raw.sqlite3_column_int(row, 2) != 0,
                raw.sqlite3_column_text(row, 3).utf8_to_string() ?? "",
                MemoryMarshal.Cast<byte, float>(raw.sqlite3_column_blob(row, 4)).ToArray())));
        return changed;
    }
}
