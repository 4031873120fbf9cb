using System.Net;
using DuckWorker.Mongo.Exceptions;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace DuckWorker.Mongo.Tests;

/// <summary>What a port's caller gets for each kind of driver error; no driver type crosses a port.</summary>
public sealed class DriverErrorsReachThePortsInTheirTerms : IDisposable
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("db", 27017)));

    private readonly MongoStore store = new(Options.Create(new MongoOptions { ConnectionString = "mongodb://duck:hunter2@db:27017" }));

    [Fact]
    public void ADocumentTheDriverCannotEncodeIsAClearErrorNamingTheLimit()
    {
        // The driver's own failure, as it happens while sending a document over the server's maximum size.
        var tooLarge = Assert.Throws<FormatException>(() =>
        {
            using var writer = new BsonBinaryWriter(new MemoryStream(), new BsonBinaryWriterSettings { MaxDocumentSize = 64 });
            BsonSerializer.Serialize(writer, new BsonDocument("text", new string('x', 100)));
        });

        var translated = Assert.IsType<InvalidOperationException>(store.InPortTerms(tooLarge));

        Assert.Contains("cannot hold the document", translated.Message, StringComparison.Ordinal);
        Assert.Contains("16 MiB", translated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusedCredentialsAreAConfigurationErrorNamingTheKey()
    {
        var translated = store.InPortTerms(new MongoAuthenticationException(Connection, "Unable to authenticate using sasl protocol mechanism SCRAM-SHA-256."));

        var misconfigured = Assert.IsType<MongoMisconfiguredException>(translated);
        Assert.IsAssignableFrom<InvalidOperationException>(misconfigured);
        Assert.Contains("Mongo:ConnectionString", misconfigured.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", misconfigured.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALostConnectionIsTheStoreBeingUnavailable()
    {
        Assert.IsType<StoreUnavailableException>(store.InPortTerms(new MongoConnectionException(Connection, "connection reset")));
    }

    [Fact]
    public void OtherExceptionsPassUnchanged()
    {
        Assert.Null(store.InPortTerms(new ArgumentException("bad payload")));
        Assert.Null(store.InPortTerms(new OperationCanceledException()));
        Assert.Null(store.InPortTerms(new FormatException("A BSON JavaScript has no JSON form: this value was not written by DuckWorker.")));
    }

    public void Dispose() => store.Dispose();
}
