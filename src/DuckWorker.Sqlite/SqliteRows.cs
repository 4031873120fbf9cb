using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DuckWorker.Sqlite;

/// <summary>
/// Runs a query through SQLite's own statement API, which hands out each blob where it lies: the ADO.NET reader
/// would copy every vector, hundreds of megabytes when all memories are read.
/// </summary>
internal static class SqliteRows
{
    /// <summary>Calls <paramref name="row"/> for each row; text and integer parameters are bound by name, those the query does not name not at all.</summary>
    public static void Read(SqliteConnection connection, string sql, IReadOnlyDictionary<string, object> parameters, Action<sqlite3_stmt> row)
    {
        var handle = connection.Handle!;
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, name);
                if (index == 0)
                {
                    continue;
                }

                Check(handle, value switch
                {
                    string text => raw.sqlite3_bind_text(statement, index, text),
                    long number => raw.sqlite3_bind_int64(statement, index, number),
                    _ => throw new ArgumentException($"A parameter of type {value.GetType()} is not supported.", nameof(parameters)),
                });
            }

            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                row(statement);
            }

            Check(handle, step);
        }
    }

    private static void Check(sqlite3 handle, int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), result);
        }
    }
}
