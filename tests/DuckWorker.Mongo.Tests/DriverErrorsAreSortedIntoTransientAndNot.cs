using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace DuckWorker.Mongo.Tests;

public sealed class DriverErrorsAreSortedIntoTransientAndNot
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("db", 27017)));

    [Theory]
    [InlineData(11600)] // InterruptedAtShutdown
    [InlineData(10107)] // NotWritablePrimary
    [InlineData(189)]   // PrimarySteppedDown
    [InlineData(91)]    // ShutdownInProgress
    [InlineData(6)]     // HostUnreachable
    [InlineData(50)]    // MaxTimeMSExpired
    public void AServerThatIsGoingAwayIsTransient(int code)
    {
        Assert.True(MongoErrors.IsTransient(Command(code)));
    }

    [Theory]
    [InlineData(2)]     // BadValue
    [InlineData(11000)] // DuplicateKey
    [InlineData(13)]    // Unauthorized
    [InlineData(85)]    // IndexOptionsConflict
    public void AnAnswerIsNotTransient(int code)
    {
        Assert.False(MongoErrors.IsTransient(Command(code)));
    }

    [Fact]
    public void LostConnectionsAndTimeoutsAreTransient()
    {
        Assert.True(MongoErrors.IsTransient(new MongoConnectionException(Connection, "connection reset")));
        Assert.True(MongoErrors.IsTransient(new TimeoutException("A timeout occurred after 30000ms selecting a server")));
        Assert.True(MongoErrors.IsTransient(new MongoNotPrimaryException(Connection, new BsonDocument("isMaster", 1), new BsonDocument { { "ok", 0 }, { "code", 10107 } })));
    }

    [Fact]
    public void AnErrorTheServerLabelsRetryableIsTransient()
    {
        var error = Command(2);
        error.AddErrorLabel("RetryableWriteError");

        Assert.True(MongoErrors.IsTransient(error));
    }

    [Fact]
    public void OtherExceptionsAreNotTheDriversToJudge()
    {
        Assert.False(MongoErrors.IsTransient(new InvalidOperationException()));
        Assert.False(MongoErrors.IsTransient(new OperationCanceledException()));
    }

    private static MongoCommandException Command(int code) =>
        new(Connection, $"command failed with {code}", new BsonDocument("insert", "tasks"), new BsonDocument { { "ok", 0 }, { "code", code }, { "errmsg", "failed" } });
}
