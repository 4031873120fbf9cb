using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace DuckWorker.Mongo.Tests;

/// <summary>A client connects only when used, so the collections' settings are checked without a server.</summary>
public sealed class TheStoreReadsFromThePrimary : IDisposable
{
    private readonly MongoStore store = new(Options.Create(new MongoOptions
    {
        ConnectionString = "mongodb://db1:27017,db2:27017/?replicaSet=rs0&readPreference=secondaryPreferred",
    }));

    [Fact]
    public void EveryCollectionReadsFromThePrimaryWhateverTheConnectionStringPrefers()
    {
        var collections = new[] { store.Tasks, store.Events, store.Approvals, store.ApprovalRules, store.Memories, store.Experiences };

        Assert.All(collections, collection => Assert.Equal(ReadPreference.Primary, collection.Settings.ReadPreference));
        Assert.Equal(ReadPreference.SecondaryPreferred, store.Tasks.Database.Client.Settings.ReadPreference);
    }

    public void Dispose() => store.Dispose();
}
