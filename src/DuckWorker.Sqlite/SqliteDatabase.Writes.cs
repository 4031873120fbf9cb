using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DuckWorker.Sqlite;

/// <summary>
/// The writes of this process, committed in batches. SQLite lets one writer at a time hold the file, and a
/// writer that finds the lock taken sleeps in the busy handler in growing steps (1, 2, 5 … 100 ms) rather
/// than being woken when it frees; and a commit costs several times the insert it commits. So the writes of
/// the process queue here: one loop writes them, and the writes that arrive while a batch commits go into
/// the next one, each under a savepoint of its own so that one that fails is undone alone. Only other
/// processes meet the busy handler.
/// </summary>
public sealed partial class SqliteDatabase
{
    private const int MostWritesPerBatch = 64;

    private readonly Channel<PendingWrite> writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> writer;

    /// <summary>
    /// Runs <paramref name="work"/> inside a write transaction (<c>BEGIN IMMEDIATE</c>) that it may share with
    /// other writes of this process, and returns once that transaction has committed. The work must not begin
    /// a transaction of its own, nor wait for another write.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var write = new PendingWrite<T>(work, cancellationToken);
        _ = writer.Value;
        writes.Writer.TryWrite(write);
        return write.Done;
    }

    public Task WriteAsync(Func<SqliteConnection, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await work(connection);
            return true;
        }, cancellationToken);

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MostWritesPerBatch);
        while (await writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MostWritesPerBatch && writes.Reader.TryRead(out var write))
            {
                if (!write.CancelIfAsked())
                {
                    batch.Add(write);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        try
        {
            await RunAsync(async connection =>
            {
                await ExecuteAsync(connection, "BEGIN IMMEDIATE;");
                try
                {
                    if (batch.Count == 1)
                    {
                        await batch[0].RunAsync(connection);
                    }
                    else
                    {
                        foreach (var write in batch)
                        {
                            await ExecuteAsync(connection, "SAVEPOINT write;");
                            await ExecuteAsync(connection, await write.TryRunAsync(connection) ? "RELEASE write;" : "ROLLBACK TO write; RELEASE write;");
                        }
                    }

                    await ExecuteAsync(connection, "COMMIT;");
                }
                catch when (raw.sqlite3_get_autocommit(connection.Handle) == 0)
                {
                    // A pooled connection must go back with no transaction open.
                    await ExecuteAsync(connection, "ROLLBACK;");
                    throw;
                }

                return true;
            }, CancellationToken.None);
        }
        catch (Exception ex)
        {
            Settle(batch, write => write.Fail(ex));
            return;
        }

        Settle(batch, write => write.Complete(failure => Unavailable(failure) ?? failure));
    }

    /// <summary>
    /// Hands each write's caller its result. A lone write's caller goes on on this thread (the writes of a quiet
    /// worker come one at a time, and a switch to another thread was a good part of what each took); a batch's
    /// callers go on on the pool's threads, side by side, so that the next batch does not wait for them.
    /// </summary>
    private static void Settle(List<PendingWrite> batch, Action<PendingWrite> settle)
    {
        if (batch.Count == 1)
        {
            settle(batch[0]);
            return;
        }

        foreach (var write in batch)
        {
            ThreadPool.QueueUserWorkItem(settle, write, preferLocal: false);
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync();
    }

    private abstract class PendingWrite
    {
        /// <summary>Ends the write before it runs when its caller stopped waiting; true when it did.</summary>
        public abstract bool CancelIfAsked();

        /// <summary>Runs the work, letting its failure end the batch.</summary>
        public abstract Task RunAsync(SqliteConnection connection);

        /// <summary>Runs the work, keeping its failure for its caller alone; false when it failed.</summary>
        public abstract Task<bool> TryRunAsync(SqliteConnection connection);

        /// <summary>The batch committed: hands the caller its result, or the failure its work had.</summary>
        public abstract void Complete(Func<Exception, Exception> translate);

        /// <summary>The batch failed as a whole.</summary>
        public abstract void Fail(Exception failure);
    }

    private sealed class PendingWrite<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken) : PendingWrite
    {
        // Continuations run where the write is settled: on the writer's thread for a lone write (see Settle).
        private readonly TaskCompletionSource<T> done = new();
        private T? result;
        private Exception? failure;

        public Task<T> Done => done.Task;

        public override bool CancelIfAsked() => cancellationToken.IsCancellationRequested && done.TrySetCanceled(cancellationToken);

        public override async Task RunAsync(SqliteConnection connection) => result = await work(connection);

        public override async Task<bool> TryRunAsync(SqliteConnection connection)
        {
            try
            {
                result = await work(connection);
                return true;
            }
            catch (Exception ex)
            {
                failure = ex;
                return false;
            }
        }

        public override void Complete(Func<Exception, Exception> translate)
        {
            if (failure is null)
            {
                done.TrySetResult(result!);
            }
            else
            {
                Fail(translate(failure));
            }
        }

        public override void Fail(Exception failure)
        {
            if (failure is OperationCanceledException cancelled)
            {
                done.TrySetCanceled(cancelled.CancellationToken);
            }
            else
            {
                done.TrySetException(failure);
            }
        }
    }
}
