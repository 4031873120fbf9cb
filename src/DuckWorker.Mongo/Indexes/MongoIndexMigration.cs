using MongoDB.Bson;
using MongoDB.Driver;

namespace DuckWorker.Mongo.Indexes;

/// <summary>
/// Brings a collection's indexes to their definitions: creating an index whose name or keys already exist with
/// other keys or options fails (IndexOptionsConflict 85, IndexKeySpecsConflict 86), so such an index is
/// dropped first and created anew. Indexes that match no definition are left alone: they may be an operator's.
/// </summary>
internal static class MongoIndexMigration
{
    private const int IndexNotFound = 27;
    private const int IndexOptionsConflict = 85;
    private const int IndexKeySpecsConflict = 86;
    private const int Attempts = 3;

    /// <summary>The indexes to drop (by name) and to create so that <paramref name="existing"/> holds every one of <paramref name="wanted"/>.</summary>
    public static (IReadOnlyList<string> Drop, IReadOnlyList<MongoIndex> Create) Plan(IReadOnlyList<MongoIndex> existing, IReadOnlyList<MongoIndex> wanted)
    {
        var drop = new List<string>();
        var create = new List<MongoIndex>();
        foreach (var index in wanted)
        {
            if (existing.Any(present => present.Name == index.Name && present.IsLike(index)))
            {
                continue;
            }

            // In the way: an index of the same name defined otherwise (an older version's), or one of the same
            // keys under another name (the server keeps one index per key pattern).
            drop.AddRange(existing
                .Where(present => present.Name != "_id_" && (present.Name == index.Name || present.HasKeysOf(index)))
                .Select(present => present.Name)
                .Where(name => !drop.Contains(name)));
            create.Add(index);
        }

        return (drop, create);
    }

    public static async Task ApplyAsync(IMongoCollection<BsonDocument> collection, IReadOnlyList<MongoIndex> wanted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var cursor = await collection.Indexes.ListAsync(cancellationToken);
            var existing = (await cursor.ToListAsync(cancellationToken)).Select(MongoIndex.FromListed).ToList();
            var (drop, create) = Plan(existing, wanted);
            if (create.Count == 0)
            {
                return;
            }

            try
            {
                foreach (var name in drop)
                {
                    await collection.Indexes.DropOneAsync(name, cancellationToken);
                }

                await collection.Indexes.CreateManyAsync(create.Select(index => index.ToModel()), cancellationToken);
                return;
            }
            catch (MongoCommandException ex) when (attempt < Attempts && ex.Code is IndexNotFound or IndexOptionsConflict or IndexKeySpecsConflict)
            {
                // Another worker starting at the same time migrated the same index first; look again.
            }
        }
    }
}
