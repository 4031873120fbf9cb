using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo.Indexes;

/// <summary>One index as MongoDB keeps it: its name, its keys in order (1 ascending, -1 descending), and whether it is unique.</summary>
internal sealed record MongoIndex(string Name, BsonDocument Keys, bool Unique = false)
{
    public CreateIndexModel<BsonDocument> ToModel() =>
        new(new BsonDocumentIndexKeysDefinition<BsonDocument>(Keys), new CreateIndexOptions { Name = Name, Unique = Unique });
}
