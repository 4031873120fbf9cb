using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

/// <summary>
/// The commands a kept connection has run, by their text, ready to run again. Microsoft.Data.Sqlite prepares a
/// command's statements when it first runs and finalizes them when it is disposed, and keeps no cache of its own
/// (dotnet/efcore#14044): without this, SQLite parses and plans each of the store's few statements again on every
/// call, which was about a third of SQLite's time in the worker. A command taken from here is disposed as any other;
/// its dispose puts it back, statements and all, until its connection is closed. It carries no transaction object,
/// so it must not run inside <c>BeginTransaction</c> (the store's own transactions are begun in SQL).
/// </summary>
internal sealed class PreparedCommands
{
    // The store's statements are constants, so a connection meets a few dozen texts at most; a text beyond these
    // is prepared and finalized as it would be without a cache.
    private const int MostTexts = 64;
    private const int MostCopiesPerText = 4;

    private static readonly ConditionalWeakTable<SqliteConnection, PreparedCommands> ByConnection = [];

    private readonly Dictionary<string, Stack<ReusedCommand>> free = new(StringComparer.Ordinal);
    private bool closing;

    /// <summary>From now on, the commands made on <paramref name="connection"/> are kept for use again.</summary>
    public static void Keep(SqliteConnection connection) => ByConnection.AddOrUpdate(connection, new PreparedCommands());

    /// <summary>A command of <paramref name="sql"/> on the connection: one it ran before when it is kept and has one free.</summary>
    public static SqliteCommand Take(SqliteConnection connection, string sql)
    {
        if (!ByConnection.TryGetValue(connection, out var kept))
        {
            return new SqliteCommand(sql, connection);
        }

        return kept.free.TryGetValue(sql, out var copies) && copies.TryPop(out var command)
            ? command
            : new ReusedCommand(sql, connection, kept);
    }

    /// <summary>Finalizes the statements kept for <paramref name="connection"/>, as it must before it closes.</summary>
    public static void Release(SqliteConnection connection)
    {
        if (!ByConnection.TryGetValue(connection, out var kept))
        {
            return;
        }

        kept.closing = true;
        foreach (var command in kept.free.Values.SelectMany(copies => copies))
        {
            command.Dispose();
        }

        kept.free.Clear();
        ByConnection.Remove(connection);
    }

    private bool TryPutBack(ReusedCommand command)
    {
        if (closing)
        {
            return false;
        }

        if (!free.TryGetValue(command.CommandText, out var copies))
        {
            if (free.Count == MostTexts)
            {
                return false;
            }

            free[command.CommandText] = copies = new Stack<ReusedCommand>();
        }

        if (copies.Count == MostCopiesPerText)
        {
            return false;
        }

        command.Parameters.Clear();
        copies.Push(command);
        return true;
    }

    /// <summary>A command whose dispose puts it back with its prepared statements, while its connection is kept.</summary>
    private sealed class ReusedCommand(string sql, SqliteConnection connection, PreparedCommands owner) : SqliteCommand(sql, connection)
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing && owner.TryPutBack(this))
            {
                return;
            }

            base.Dispose(disposing);
        }
    }
}
