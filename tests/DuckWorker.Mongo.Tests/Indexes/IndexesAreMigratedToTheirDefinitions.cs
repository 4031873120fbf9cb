using DuckWorker.Mongo.Indexes;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Tests.Indexes;

public sealed class IndexesAreMigratedToTheirDefinitions
{
    private static readonly MongoIndex IdIndex = new("_id_", new BsonDocument("_id", 1));
    private static readonly MongoIndex BySeq = new("events_by_task_seq", new BsonDocument { { "taskId", 1 }, { "seq", 1 } }, Unique: true);

    [Fact]
    public void AFreshCollectionGetsEveryIndex()
    {
        var (drop, create) = MongoIndexMigration.Plan([IdIndex], [BySeq]);

        Assert.Empty(drop);
        Assert.Equal([BySeq], create);
    }

    [Fact]
    public void IndexesAsDefinedAreLeftAloneWhateverNumberTypeTheServerListsTheirKeysIn()
    {
        // listIndexes gives back the keys as they were sent, and older tools sent doubles.
        var listed = MongoIndex.FromListed(BsonDocument.Parse("{ v: 2, name: 'events_by_task_seq', key: { taskId: 1.0, seq: NumberLong(1) }, unique: true }"));

        var (drop, create) = MongoIndexMigration.Plan([IdIndex, listed], [BySeq]);

        Assert.Empty(drop);
        Assert.Empty(create);
    }

    [Fact]
    public void AnIndexWhoseOptionsChangedIsDroppedAndCreatedAnew()
    {
        var notUnique = BySeq with { Unique = false };

        var (drop, create) = MongoIndexMigration.Plan([IdIndex, notUnique], [BySeq]);

        Assert.Equal(["events_by_task_seq"], drop);
        Assert.Equal([BySeq], create);
    }

    [Fact]
    public void AnIndexWhoseKeysChangedIsDroppedAndCreatedAnew()
    {
        var older = BySeq with { Keys = new BsonDocument { { "taskId", 1 }, { "seq", -1 } } };

        var (drop, create) = MongoIndexMigration.Plan([IdIndex, older], [BySeq]);

        Assert.Equal(["events_by_task_seq"], drop);
        Assert.Equal([BySeq], create);
    }

    [Fact]
    public void AnIndexOfTheSameKeysUnderAnotherNameMakesWay()
    {
        var renamed = BySeq with { Name = "taskId_1_seq_1" };

        var (drop, create) = MongoIndexMigration.Plan([IdIndex, renamed], [BySeq]);

        Assert.Equal(["taskId_1_seq_1"], drop);
        Assert.Equal([BySeq], create);
    }

    [Fact]
    public void AnOperatorsOwnIndexesAndTheIdIndexAreNeverDropped()
    {
        var operators = new MongoIndex("by_event_type", new BsonDocument("eventType", 1));

        var (drop, _) = MongoIndexMigration.Plan([IdIndex, operators], [BySeq, new MongoIndex("by_id_too", new BsonDocument("_id", 1))]);

        Assert.Empty(drop);
    }
}
