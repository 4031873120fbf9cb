using DuckWorker.Mongo;
using DuckWorker.Mongo.Indexes;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DuckWorker.Tests.Storage;

public sealed class TheStorageProviderChoosesTheAdapter
{
    [Fact]
    public async Task MongoPutsEveryPortOnMongoDbAndCreatesTheIndexesAtStart()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "mongo",
            ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
        });

        Assert.IsType<MongoTaskStore>(worker.Tasks);
        Assert.IsType<MongoApprovalStore>(worker.Services.GetRequiredService<IApprovalStore>());
        Assert.IsType<MongoApprovalRuleStore>(worker.Services.GetRequiredService<IApprovalRuleStore>());
        Assert.IsType<MongoMemoryStore>(worker.Services.GetRequiredService<IMemoryStore>());
        Assert.IsType<MongoExperienceStore>(worker.Services.GetRequiredService<IExperienceStore>());
        // The broker wraps the event log to announce every event; the Mongo log must be constructible inside it.
        Assert.NotNull(worker.Services.GetRequiredService<IEventLog>());
        Assert.Contains(worker.Services.GetServices<IHostedService>(), service => service is MongoStartup);
        Assert.Equal("duckworker", worker.Option<MongoOptions>().Database);
    }

    [Theory]
    [InlineData("SQLite", typeof(SqliteTaskStore))]
    [InlineData("Mongo", typeof(MongoTaskStore))]
    public async Task TheProviderIsReadInAnyCase(string provider, Type store)
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = provider,
            ["Mongo:ConnectionString"] = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200",
        });

        Assert.IsType(store, worker.Tasks);
    }

    [Fact]
    public async Task SqliteIsTheDefault()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Storage:Provider"] = null });

        Assert.IsType<SqliteTaskStore>(worker.Tasks);
        Assert.DoesNotContain(worker.Services.GetServices<IHostedService>(), service => service is MongoStartup);
    }
}
