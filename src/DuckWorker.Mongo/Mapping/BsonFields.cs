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
}
