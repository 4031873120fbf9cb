using System.Runtime.InteropServices;
using DuckWorker.Runtime.Memory;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

/// <summary>
/// Ranks stored vectors in process: one pass over <c>(id, vector)</c> rows, keeping the best few in a heap,
/// so that only the winners are read in full. Vectors are read into one reused buffer.
/// </summary>
internal static class VectorRanking
{
    public static async Task<List<(string Id, double Score)>> TopAsync(SqliteCommand candidates, ReadOnlyMemory<float> query, int limit, double minScore)
    {
        var best = new PriorityQueue<string, double>();
        var buffer = new byte[query.Length * sizeof(float)];
        await using var reader = await candidates.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var length = (int)reader.GetBytes(1, 0, null, 0, 0);
            if (length > buffer.Length)
            {
                buffer = new byte[length];
            }

            reader.GetBytes(1, 0, buffer, 0, length);
            var score = Vectors.Similarity(MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, length)), query.Span);
            if (score < minScore)
            {
                continue;
            }

            if (best.Count < limit)
            {
                best.Enqueue(reader.GetString(0), score);
            }
            else if (best.TryPeek(out _, out var worst) && score > worst)
            {
                best.DequeueEnqueue(reader.GetString(0), score);
            }
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
