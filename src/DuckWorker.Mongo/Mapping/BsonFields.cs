using DuckWorker.Runtime.Stores;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>
/// How the mappings write and read single fields. Times are BSON dates (UTC, whole milliseconds), which sort and
/// compare in queries; a missing field reads as null, so documents written before a field existed still read.
/// </summary>
internal static class BsonFields
{
    public static BsonValue Text(string? value) => value is null ? BsonNull.Value : new BsonString(value);

    public static BsonValue Time(DateTimeOffset? value) => value is { } time ? new BsonDateTime(time.UtcDateTime) : BsonNull.Value;

    /// <summary>The time as the store keeps it: in UTC, cut to whole milliseconds.</summary>
    public static DateTimeOffset Stored(DateTimeOffset value) => ReadTime(new BsonDateTime(value.UtcDateTime));

    public static string? NullableString(this BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && !value.IsBsonNull ? value.AsString : null;

    public static DateTimeOffset Time(this BsonDocument document, string name) => ReadTime(document[name]);

    public static DateTimeOffset? NullableTime(this BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && !value.IsBsonNull ? ReadTime(value) : null;

    private static DateTimeOffset ReadTime(BsonValue value) => new(value.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Adds a vector as an array of doubles, or nothing when there is none (so <c>$exists</c> finds the memories that have one).</summary>
    public static BsonDocument AddVector(this BsonDocument document, string name, float[]? vector)
    {
        if (vector is not null)
        {
            document.Add(name, new BsonArray(vector.Select(v => (double)v)));
        }

        return document;
    }

    /// <summary>Adds the name of the embedder that made a vector, or nothing without a vector or a name.</summary>
    public static BsonDocument AddEmbedder(this BsonDocument document, string name, float[]? vector, string? embeddedBy)
    {
        if (vector is not null && embeddedBy is not null)
        {
            document.Add(name, embeddedBy);
        }

        return document;
    }

    /// <summary>The embedder of a document's vector: null without a vector, <see cref="EmbedderName.Unknown"/> for one written without its name.</summary>
    public static string? Embedder(this BsonDocument document, string vectorName, string name) =>
        document.Contains(vectorName) ? document.NullableString(name) ?? EmbedderName.Unknown : null;

    public static float[]? Vector(this BsonDocument document, string name) =>
        document.TryGetValue(name, out var value) && value is BsonArray array ? [.. array.Select(v => (float)v.ToDouble())] : null;
}
