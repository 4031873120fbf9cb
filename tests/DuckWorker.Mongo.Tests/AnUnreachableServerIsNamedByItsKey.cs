using System.Text.Json;
using DuckWorker.Mongo.Indexes;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DuckWorker.Mongo.Tests;

/// <summary>Nothing listens on port 1 of the loopback address, so these need no server and fail fast.</summary>
public sealed class AnUnreachableServerIsNamedByItsKey : IDisposable
{
    private readonly MongoStore store = new(Options.Create(new MongoOptions
    {
        ConnectionString = "mongodb://duck:hunter2@127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300",
        Database = "unreachable",
    }));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheStartFailsNamingTheConnectionString()
    {
        var failure = new StartupFailure();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var startup = new MongoStartup(store, Vectors(), failure, lifetime, NullLogger<MongoStartup>.Instance);

        await startup.StartAsync(Ct);

        // The worker stops before it serves, and prints this one line (no stack trace through the host).
        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.StartsWith("MongoDB at 127.0.0.1:1 does not answer; check Mongo:ConnectionString", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:1: Connection refused", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Reason!);
    }

    [Fact]
    public async Task AnSrvNameThatDoesNotResolveStopsTheStartNamingTheConnectionString()
    {
        // .invalid never resolves (RFC 2606); the lookup happens when the client is built, which must not be in the constructor.
        using var srv = new MongoStore(Options.Create(new MongoOptions { ConnectionString = "mongodb+srv://duck:hunter2@cluster0.duck.invalid/?serverSelectionTimeoutMS=300", Database = "unreachable" }));
        var failure = new StartupFailure();
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);

        await new MongoStartup(srv, Vectors(), failure, lifetime, NullLogger<MongoStartup>.Instance).StartAsync(Ct);

        Assert.True(lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.StartsWith("MongoDB at cluster0.duck.invalid does not answer; check Mongo:ConnectionString", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Reason!);
        TestContext.Current.SendDiagnosticMessage(failure.Reason!);
    }

    [Fact]
    public async Task LaterEveryPortReportsTheStoreUnavailable()
    {
        IEventLog events = new MongoEventLog(store, TimeProvider.System, NullLogger<MongoEventLog>.Instance);

        var errors = new[]
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => new MongoTaskStore(store).GetAsync("t1", Ct)),
            await Assert.ThrowsAsync<StoreUnavailableException>(() => events.AppendAsync("t1", "tick", JsonSerializer.SerializeToElement(new { }), Ct)),
            await Assert.ThrowsAsync<StoreUnavailableException>(async () =>
            {
                await foreach (var entry in events.ReadAsync("t1", 0, Ct))
                {
                    Assert.Fail($"read {entry.Seq} from no server");
                }
            }),
            await Assert.ThrowsAsync<StoreUnavailableException>(() => new MongoApprovalStore(store).FindPendingAsync("t1", Ct)),
            await Assert.ThrowsAsync<StoreUnavailableException>(() => new MongoMemoryStore(store, Vectors()).ListAsync(null, null, null, 5, Ct)),
        };

        Assert.All(errors, error =>
        {
            Assert.StartsWith("MongoDB at 127.0.0.1:1 (Mongo:ConnectionString) is unavailable: no server was selected within 0.3 s", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
        });
    }

    public void Dispose() => store.Dispose();

    private static MongoVectorSearch Vectors() => new(Options.Create(new MongoOptions()), TimeProvider.System, NullLogger<MongoVectorSearch>.Instance);
}
