using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

/// <summary>Small helpers shared by the adapters: parameterized commands and the store's value formats.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(this SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = PreparedCommands.Take(connection, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Times are stored as ISO 8601 text in UTC, which sorts in time order.</summary>
    public static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    /// <summary>Vectors are stored as their float32 bytes, in the machine's order (the file stays on the machine that wrote it).</summary>
    public static byte[]? Blob(float[]? vector) => vector is null ? null : MemoryMarshal.AsBytes(vector.AsSpan()).ToArray();

    public static float[]? Vector(this SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : MemoryMarshal.Cast<byte, float>(reader.GetFieldValue<byte[]>(ordinal)).ToArray();
    }

    /// <summary>
    /// The byte length of a vector's blob, as text: the ranking binds text, and the query casts it, so that a
    /// search compares only vectors of the query's dimension.
    /// </summary>
    public static string BlobLength(ReadOnlyMemory<float> vector) => (vector.Length * sizeof(float)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The embedder of a row's vector: null without a vector; <see cref="EmbedderName.Unknown"/> for a vector
    /// written without its embedder's name, as Mongo reads one.
    /// </summary>
    public static string? EmbeddedBy(this SqliteDataReader reader, string vectorColumn, string column) =>
        reader.IsDBNull(reader.GetOrdinal(vectorColumn)) ? null : reader.NullableString(column) ?? EmbedderName.Unknown;

    public static string? NullableString(this SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static string String(this SqliteDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    /// <summary>
    /// The records of <paramref name="best"/> (ids and scores, best first) in that order, each read by
    /// <paramref name="sql"/> from the ids in <c>$ids</c>; one gone since it was ranked is left out.
    /// </summary>
    public static async Task<IReadOnlyList<Scored<T>>> ScoredAsync<T>(
        this SqliteConnection connection,
        string sql,
        List<(string Id, double Score)> best,
        Func<SqliteDataReader, T> map,
        Func<T, string> idOf)
    {
        if (best.Count == 0)
        {
            return [];
        }

        await using var select = connection.Command(sql, ("$ids", JsonSerializer.Serialize(best.Select(b => b.Id))));
        var records = (await select.ReadAllAsync(map)).ToDictionary(idOf, StringComparer.Ordinal);
        return [.. best.Where(b => records.ContainsKey(b.Id)).Select(b => new Scored<T>(records[b.Id], b.Score))];
    }

    public static async Task<List<T>> ReadAllAsync<T>(this SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
