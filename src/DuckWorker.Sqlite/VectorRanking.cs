using System.Runtime.InteropServices;
using DuckWorker.Runtime.Memory;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DuckWorker.Sqlite;

/// <summary>
/// Ranks stored vectors exactly, in process: one pass over <c>(id, vector)</c> rows, keeping the best few in a
/// heap, so that only the winners are read in full. The searches of memories and lessons rank only the candidates
/// their index chose (<see cref="Recall.VectorIndex"/>).
/// </summary>
internal static class VectorRanking
{
    public static List<(string Id, double Score)> Top(
        SqliteConnection connection,
        string sql,
        IReadOnlyDictionary<string, object> parameters,
        ReadOnlyMemory<float> query,
        int limit,
        double minScore)
    {
        var best = new PriorityQueue<string, double>();
        SqliteRows.Read(connection, sql, parameters, row =>
        {
            var score = Vectors.Similarity(MemoryMarshal.Cast<byte, float>(raw.sqlite3_column_blob(row, 1)), query.Span);
            if (score < minScore || (best.Count == limit && best.TryPeek(out _, out var worst) && score <= worst))
            {
                return;
            }

            var id = raw.sqlite3_column_text(row, 0).utf8_to_string();
            if (best.Count < limit)
            {
                best.Enqueue(id, score);
            }
            else
            {
                best.DequeueEnqueue(id, score);
            }
        });

        var ranked = new List<(string, double)>(best.Count);
        while (best.TryDequeue(out var id, out var score))
        {
            ranked.Add((id, score));
        }

        ranked.Reverse();
        return ranked;
    }
}
