using System.Net;
using DuckWorker.Mongo.Mapping;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Logging.Abstractions;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace DuckWorker.Mongo.Tests.Events;

/// <summary>
/// The event log's seq scheme (<see cref="EventSequencer"/>) driven against a model of the events collection
/// with concurrent writers interleaved at every round trip: what a real server would show, without one.
/// </summary>
public sealed class EventSeqsBecomeVisibleOnlyInOrder
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReaderTailingTheLogWhileWritersRaceNeverSkipsASeq()
    {
        const int writers = 8;
        const int perWriter = 150;
        var rows = new FakeEventRows();
        var sequencer = new EventSequencer(rows, TimeProvider.System, NullLogger.Instance);
        using var done = new CancellationTokenSource();

        var reader = Task.Run(async () =>
        {
            var seen = new List<long>();
            var finished = false;
            while (!finished)
            {
                finished = done.IsCancellationRequested;
                var last = seen.Count == 0 ? 0 : seen[^1];
                var read = rows.ReadAfter("t1", last);
                // Each read must continue exactly where the last one ended: a seq seen later than a higher one is lost to a tailing reader.
                Assert.Equal(Enumerable.Range(1, read.Count).Select(i => last + i), read);
                seen.AddRange(read);
                await Task.Yield();
            }

            return seen;
        }, Ct);
        var appended = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < perWriter; i++)
            {
                mine.Add(await sequencer.AppendAsync(Event("t1"), Ct));
            }

            return mine;
        }, Ct)));
        await done.CancelAsync();

        var expected = Enumerable.Range(1, writers * perWriter).Select(i => (long)i).ToList();
        Assert.Equal(expected, appended.SelectMany(seqs => seqs).Order());
        Assert.Equal(expected, await reader);
    }

    [Fact]
    public async Task ACancelledAppendTakesNoSeq()
    {
        var rows = new FakeEventRows();
        var sequencer = new EventSequencer(rows, TimeProvider.System, NullLogger.Instance);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sequencer.AppendAsync(Event("t1"), new CancellationToken(canceled: true)));

        Assert.Equal(1, await sequencer.AppendAsync(Event("t1"), Ct));
        Assert.Equal([1L], rows.ReadAfter("t1", 0));
    }

    [Fact]
    public async Task AnAppendCancelledAfterItsInsertLandedLeavesItsEventAndNoGap()
    {
        var rows = new FakeEventRows();
        var sequencer = new EventSequencer(rows, TimeProvider.System, NullLogger.Instance);
        rows.AfterInsert = _ => throw new OperationCanceledException("the caller gave up while the answer was on its way");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sequencer.AppendAsync(Event("t1"), Ct));
        rows.AfterInsert = null;

        Assert.Equal(2, await sequencer.AppendAsync(Event("t1"), Ct));
        Assert.Equal([1L, 2], rows.ReadAfter("t1", 0));
    }

    [Fact]
    public async Task AnInsertWhoseAnswerWasLostIsRecognisedNotRepeated()
    {
        var rows = new FakeEventRows();
        var sequencer = new EventSequencer(rows, TimeProvider.System, NullLogger.Instance);
        var connection = new ConnectionId(new ServerId(new ClusterId(), new DnsEndPoint("db", 27017)));
        rows.AfterInsert = _ =>
        {
            rows.AfterInsert = null;
            throw new MongoConnectionException(connection, "connection reset while reading the answer");
        };

        Assert.Equal(1, await sequencer.AppendAsync(Event("t1"), Ct));

        Assert.Equal([1L], rows.ReadAfter("t1", 0));
    }

    [Fact]
    public async Task APayloadOneDocumentCannotHoldIsRefusedBeforeTheServerIsAsked()
    {
        // No server listens here: reaching it would fail as unavailable, so an ArgumentException proves the payload
        // was refused before any seq could be taken.
        using var store = new MongoStore(Microsoft.Extensions.Options.Options.Create(new MongoOptions { ConnectionString = "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300" }));
        IEventLog events = new MongoEventLog(store, TimeProvider.System, NullLogger<MongoEventLog>.Instance);
        var huge = System.Text.Json.JsonSerializer.SerializeToElement(new { text = new string('x', DocumentLimits.MaxBytes) });
        var deep = System.Text.Json.JsonDocument.Parse(string.Concat(Enumerable.Repeat("[", 120)) + string.Concat(Enumerable.Repeat("]", 120)), new System.Text.Json.JsonDocumentOptions { MaxDepth = 200 }).RootElement;

        var tooLarge = await Assert.ThrowsAsync<ArgumentException>(() => events.AppendAsync("t1", "observation", huge, Ct));
        var tooDeep = await Assert.ThrowsAsync<ArgumentException>(() => events.AppendAsync("t1", "observation", deep, Ct));

        Assert.Contains("16 MiB", tooLarge.Message, StringComparison.Ordinal);
        Assert.Contains("100 levels", tooDeep.Message, StringComparison.Ordinal);
        Assert.IsNotType<StoreUnavailableException>(tooLarge);
    }

    private static BsonDocument Event(string taskId) =>
        EventMapping.ToDocument(ObjectId.GenerateNewId(), new TaskEvent(taskId, 0, "tick", System.Text.Json.JsonSerializer.SerializeToElement(new { }), DateTimeOffset.UnixEpoch));
}
