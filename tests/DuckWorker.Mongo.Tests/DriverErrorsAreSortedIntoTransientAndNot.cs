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
    public void RefusedCredentialsAreAMisconfigurationNotAnOutage()
    {
        // MongoAuthenticationException derives from MongoConnectionException, which is otherwise transient.
        var refused = new MongoAuthenticationException(Connection, "Unable to authenticate using sasl protocol mechanism SCRAM-SHA-256.");

        Assert.True(MongoErrors.IsMisconfiguration(refused));
        Assert.False(MongoErrors.IsTransient(refused));
    }

    [Fact]
    public void AFailedTlsHandshakeIsAMisconfigurationNotAnOutage()
    {
        var handshake = new MongoConnectionException(Connection, "An exception occurred while opening a connection to the server.",
            new System.Security.Authentication.AuthenticationException("The remote certificate is invalid according to the validation procedure."));

        Assert.True(MongoErrors.IsMisconfiguration(handshake));
        Assert.False(MongoErrors.IsTransient(handshake));
    }

    [Fact]
    public void AConnectionThatFailsAuthenticatingIsAMisconfiguration()
    {
        var opening = new MongoConnectionException(Connection, "An exception occurred while opening a connection to the server.",
            new MongoAuthenticationException(Connection, "Authentication failed."));

        Assert.True(MongoErrors.IsMisconfiguration(opening));
        Assert.False(MongoErrors.IsTransient(opening));
    }

    [Fact]
    public void SettingsTheDriverRefusesAreAMisconfiguration()
    {
        Assert.True(MongoErrors.IsMisconfiguration(new MongoConfigurationException("The connection string is invalid.")));
        Assert.False(MongoErrors.IsTransient(new MongoConfigurationException("The connection string is invalid.")));
    }

    [Fact]
    public void AConnectionResetIsNoMisconfiguration()
    {
        Assert.False(MongoErrors.IsMisconfiguration(new MongoConnectionException(Connection, "connection reset", new IOException("reset by peer"))));
        Assert.False(MongoErrors.IsMisconfiguration(new TimeoutException("A timeout occurred after 30000ms selecting a server")));
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
