using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// Recall over the vectors of one SQLite file (its memories, or its lessons: <see cref="VectorSource"/>), in
/// process: quantized to bytes (a quarter of their size), read once on the first search and brought up to date
/// before each search from the source's change log, so that what another process (a second worker, <c>duck</c>)
/// committed is seen by the next search. The quantized vectors choose a generous set of candidates; their exact
/// vectors, read back from the file, rank them, so the scores, the minimum score and the scope are those of an
/// exact search.
/// </summary>
internal sealed class VectorIndex(VectorSource source)
{
    /// <summary>
    /// Candidates per result asked for, and at least <see cref="MinimumCandidates"/>: on 768 dimensions the quantized
    /// score is off by about 0.0004 (one standard deviation), fifty times less than the gap between the fifth and
    /// the sixty-fourth best of 100,000 random unit vectors (about 0.02).
    /// </summary>
    private const int CandidatesPerResult = 8;

    private const int MinimumCandidates = 64;

    private readonly SemaphoreSlim refreshing = new(1, 1);

    // Searches scan together; only applying changes (a few microseconds) or swapping in a reload excludes them.
    private readonly ReaderWriterLockSlim access = new();
    private IndexedVectors? vectors;
    private long seen;

    /// <summary>The memory the index holds, roughly, in bytes; 0 before the first search.</summary>
    public long Bytes
    {
        get
        {
            access.EnterReadLock();
            try
            {
                return vectors?.Bytes ?? 0;
            }
            finally
            {
                access.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// The ids and exact similarities of the (at most) <paramref name="limit"/> entries of
    /// <paramref name="workspace"/> and global ones closest to <paramref name="query"/>, best first, none below
    /// <paramref name="minScore"/>; only vectors of <paramref name="embedder"/> and the query's dimension are compared.
    /// </summary>
    public async Task<List<(string Id, double Score)>> TopAsync(
        SqliteConnection connection,
        string embedder,
        string workspace,
        ReadOnlyMemory<float> query,
        int limit,
        double minScore,
        CancellationToken cancellationToken)
    {
        await RefreshAsync(connection, cancellationToken);
        var count = (int)Math.Min(Math.Max((long)limit * CandidatesPerResult, MinimumCandidates), int.MaxValue);
        List<string> candidates;
        access.EnterReadLock();
        try
        {
            candidates = vectors!.Nearest(embedder, workspace, query.Span, count);
        }
        finally
        {
            access.ExitReadLock();
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        var parameters = new Dictionary<string, object>
        {
            ["$ids"] = JsonSerializer.Serialize(candidates),
            ["$workspace"] = workspace,
            ["$embedder"] = embedder,
            ["$bytes"] = SqliteCommands.BlobLength(query),
        };
        return VectorRanking.Top(connection, source.Exact, parameters, query, limit, minScore);
    }

    private async Task RefreshAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken);
        try
        {
            // One snapshot of the file: the changes read are exactly those up to the newest one counted.
            using var snapshot = connection.BeginTransaction(deferred: true);
            var (oldest, newest) = VectorChangeLog.Bounds(connection, source);
            if (vectors is not null && newest == seen)
            {
                return;
            }

            var current = vectors;
            if (current is not null && oldest <= seen + 1 && newest >= seen)
            {
                var changed = VectorChangeLog.ReadChangedSince(connection, source, seen);
                Exclusively(() =>
                {
                    foreach (var entry in changed)
                    {
                        current.Put(entry.Id, entry.Workspace, entry.Global, entry.Embedder, entry.Vector);
                    }
                });
            }
            else
            {
                // The first search, or the changes after the last one seen were pruned, or the log restarted
                // (the file was replaced): only reading everything is sure to be right.
                current = null;
            }

            if (current is null || current.IsSparse)
            {
                var loaded = new IndexedVectors();
                VectorChangeLog.ReadAll(connection, source, loaded);
                Exclusively(() => vectors = loaded);
            }

            seen = newest;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private void Exclusively(Action change)
    {
        access.EnterWriteLock();
        try
        {
            change();
        }
        finally
        {
            access.ExitWriteLock();
        }
    }
}
