using System.Text.Json;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

/// <summary>
/// <c>duck batch</c> knows a request by its content: a file edited between runs runs only its new requests;
/// the results hold one line per job; what cannot work (a job id given twice, an output it cannot write) is
/// said before anything is submitted.
/// </summary>
public sealed class DuckBatchKnowsRequestsByContent(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<JsonElement>> ResultsAsync(string path) =>
        [.. (await File.ReadAllLinesAsync(path, Ct)).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public async Task ALineInsertedBeforeTheOthersRunsAloneAndEachJobHasOneResultLine()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Answering;
        var requests = Path.Join(worker.Folder, "requests.jsonl");
        var results = Path.Join(worker.Folder, "results.jsonl");
        string[] three = ["""{"message": "one", "reflect": false}""", """{"message": "two", "reflect": false}""", """{"message": "one", "reflect": false}"""];
        await File.WriteAllLinesAsync(requests, three, Ct);
        var first = await Duck.RunAsync(worker, "batch", requests, "-o", results);
        var thinkerCalls = worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker);
        var firstResults = await ResultsAsync(results);

        // An interrupted run would have left a line cut off, and a run before it an outcome since replaced.
        var jobOfTwo = firstResults.Single(r => r.GetProperty("line").GetInt32() == 2).GetProperty("jobId").GetString();
        await File.AppendAllLinesAsync(results, [$$"""{"jobId": "{{jobOfTwo}}", "status": "waiting_for_approval"}""", """{"jobId": "cut"""], Ct);
        await File.WriteAllLinesAsync(requests, ["""{"message": "zero", "reflect": false}""", .. three], Ct);
        var second = await Duck.RunAsync(worker, "batch", requests, "-o", results);
        var secondResults = await ResultsAsync(results);

        Assert.Equal(0, first.Exit);
        Assert.Equal(3, firstResults.Select(r => r.GetProperty("jobId").GetString()).Distinct().Count());
        Assert.True(second.Exit == 0, second.Errors);
        Assert.Contains("4 requests: 2 already have an outcome, 2 submitted.", second.Output, StringComparison.Ordinal);
        Assert.Equal(thinkerCalls + 1, worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker));
        Assert.Equal(
            ["answer to zero", "answer to one", "answer to two", "answer to one"],
            secondResults.Select(r => r.GetProperty("finalResponse").GetString()));
        Assert.Equal([1, 2, 3, 4], secondResults.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(4, secondResults.Select(r => r.GetProperty("jobId").GetString()).Distinct().Count());
    }

    [Fact]
    public async Task AJobIdGivenTwiceIsNamedWithItsLinesAndNothingIsSubmitted()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var requests = Path.Join(worker.Folder, "requests.jsonl");
        await File.WriteAllLinesAsync(requests, ["""{"message": "one", "jobId": "same"}""", """{"message": "two"}""", """{"message": "three", "jobId": "same"}"""], Ct);

        var (exit, output, errors) = await Duck.RunAsync(worker, "batch", requests, "-o", Path.Join(worker.Folder, "results.jsonl"));

        Assert.Equal((2, ""), (exit, output));
        Assert.Equal($"{requests}: a job id runs at most once, but these are given to more than one request: 'same' on lines 1, 3. Give each request its own jobId (or none). Nothing was started.\n", errors);
    }

    [Fact]
    public async Task AnOutputItCannotWriteIsSaidBeforeAnythingIsSubmitted()
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        var names = broker.UniqueNames();
        var settings = new Dictionary<string, string?>(worker.Settings.Concat(names.Settings(broker.Uri!)));
        var requests = Path.Join(worker.Folder, "requests.jsonl");
        await File.WriteAllLinesAsync(requests, ["""{"message": "one"}""", """{"message": "two"}"""], Ct);
        var unwritable = Path.Join(requests, "results.jsonl");

        try
        {
            var declared = await Duck.RunAsync(settings, "", "approvals", "watch");
            var (exit, output, errors) = await Duck.RunAsync(settings, "", "batch", requests, "-o", unwritable);

            Assert.Equal(0, declared.Exit);
            Assert.Equal((2, ""), (exit, output));
            Assert.StartsWith($"Cannot write the results to '{unwritable}' (--output): ", errors, StringComparison.Ordinal);
            Assert.EndsWith("Nothing was submitted.\n", errors, StringComparison.Ordinal);
            Assert.Equal(0u, await broker.MessageCountAsync(names.Jobs, Ct));
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }
}
