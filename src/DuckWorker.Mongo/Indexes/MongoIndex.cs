using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo.Indexes;

/// <summary>One index as MongoDB keeps it: its name, its keys in order (1 ascending, -1 descending), and whether it is unique.</summary>
internal sealed record MongoIndex(string Name, BsonDocument Keys, bool Unique = false)
{
    public CreateIndexModel<BsonDocument> ToModel() =>
        new(new BsonDocumentIndexKeysDefinition<BsonDocument>(Keys), new CreateIndexOptions { Name = Name, Unique = Unique });

    /// <summary>An index as <c>listIndexes</c> describes it (<c>{name, key, unique?}</c>).</summary>
    public static MongoIndex FromListed(BsonDocument listed) =>
        new(listed["name"].AsString, listed["key"].AsBsonDocument, listed.TryGetValue("unique", out var unique) && unique.ToBoolean());

    /// <summary>Same keys in the same order with the same directions, whatever number type the server lists them in.</summary>
    public bool HasKeysOf(MongoIndex other) =>
        Keys.ElementCount == other.Keys.ElementCount
        && Keys.Zip(other.Keys).All(pair => pair.First.Name == pair.Second.Name && SameDirection(pair.First.Value, pair.Second.Value));

    /// <summary>As defined: keys and options alike (the name aside).</summary>
    public bool IsLike(MongoIndex other) => HasKeysOf(other) && Unique == other.Unique;

    private static bool SameDirection(BsonValue a, BsonValue b) =>
        a.IsNumeric && b.IsNumeric ? a.ToDouble() == b.ToDouble() : a.Equals(b);
}
