using System.Runtime.InteropServices;
using DuckWorker.Runtime.Memory;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DuckWorker.Sqlite;

/// <summary>
/// Ranks stored vectors in process: one pass over <c>(id, vector)</c> rows, keeping the best few in a heap,
/// so that only the winners are read in full. The pass goes through SQLite's own statement API, which hands
/// out each vector where it lies: the ADO.NET reader would copy every blob, hundreds of megabytes a query at
/// 100,000 memories.
/// </summary>
internal static class VectorRanking
{
    public static List<(string Id, double Score)> Top(
        SqliteConnection connection,
        string sql,
        IReadOnlyDictionary<string, string> parameters,
        ReadOnlyMemory<float> query,
        int limit,
        double minScore)
    {
        var handle = connection.Handle!;
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            foreach (var (name, value) in parameters)
            {
                Check(handle, raw.sqlite3_bind_text(statement, raw.sqlite3_bind_parameter_index(statement, name), value));
            }

            var best = new PriorityQueue<string, double>();
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var vector = MemoryMarshal.Cast<byte, float>(raw.sqlite3_column_blob(statement, 1));
                var score = Vectors.Similarity(vector, query.Span);
                if (score < minScore || (best.Count == limit && best.TryPeek(out _, out var worst) && score <= worst))
                {
                    continue;
                }

                var id = raw.sqlite3_column_text(statement, 0).utf8_to_string();
                if (best.Count < limit)
                {
                    best.Enqueue(id, score);
                }
                else
                {
                    best.DequeueEnqueue(id, score);
                }
            }

            if (step != raw.SQLITE_DONE)
            {
                Check(handle, step);
            }

            var ranked = new List<(string, double)>(best.Count);
            while (best.TryDequeue(out var id, out var score))
            {
                ranked.Add((id, score));
            }

            ranked.Reverse();
            return ranked;
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
