using DuckWorker.Mongo.Indexes;
using Microsoft.Extensions.Options;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Tests.Indexes;

public sealed class TheIndexesGuardWhatMustBeUnique : IDisposable
{
    private readonly MongoStore store = new(Options.Create(new MongoOptions { ConnectionString = "mongodb://127.0.0.1:1", TasksCollection = "duck_tasks" }));

    [Fact]
    public void EveryCollectionHasTheIndexesItsQueriesAndGuardsNeed()
    {
        var indexes = MongoIndexes.Of(store).ToDictionary(
            entry => entry.Collection.CollectionNamespace.CollectionName,
            entry => entry.Indexes.Select(index => (index.Keys.ToJson(), index.Unique)).ToList());

        Assert.Equal(
            [
                ("{ \"jobId\" : 1 }", true), ("{ \"status\" : 1, \"updatedAt\" : 1 }", false), ("{ \"status\" : 1, \"leaseExpiresAt\" : 1 }", false),
                ("{ \"createdAt\" : -1, \"_id\" : -1 }", false), ("{ \"status\" : 1, \"createdAt\" : -1, \"_id\" : -1 }", false),
                ("{ \"workspace\" : 1, \"createdAt\" : -1, \"_id\" : -1 }", false),
            ],
            indexes["duck_tasks"]);
        Assert.Equal([("{ \"taskId\" : 1, \"seq\" : 1 }", true)], indexes["events"]);
        Assert.Equal([("{ \"taskId\" : 1, \"createdAt\" : 1 }", false), ("{ \"decision\" : 1, \"createdAt\" : 1 }", false)], indexes["approvals"]);
        Assert.Equal([("{ \"workspace\" : 1, \"tool\" : 1, \"key\" : 1 }", true), ("{ \"approvalId\" : 1 }", false)], indexes["approval_rules"]);
        Assert.Contains(("{ \"workspace\" : 1, \"createdAt\" : 1 }", false), indexes["memories"]);
        Assert.Equal([("{ \"taskId\" : 1 }", false)], indexes["experiences"]);
    }

    [Fact]
    public void EveryIndexHasAName()
    {
        var names = MongoIndexes.Of(store).SelectMany(entry => entry.Indexes).Select(index => index.ToModel().Options.Name).ToList();

        Assert.All(names, name => Assert.False(string.IsNullOrEmpty(name)));
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.True(MongoIndexes.Of(store).SelectMany(entry => entry.Indexes).Single(index => index.Name == "events_by_task_seq").ToModel().Options.Unique);
    }

    public void Dispose() => store.Dispose();
}
