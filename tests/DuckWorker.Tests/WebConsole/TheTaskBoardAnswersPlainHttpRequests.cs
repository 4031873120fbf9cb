using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// What the task board, the task stream and the store pages do for any HTTP client, where a browser adds nothing:
/// filters from the URL, a stream that resumes after the last event seen, and changes refused from other sites
/// or when the command line would refuse them.
/// </summary>
public sealed partial class TheTaskBoardAnswersPlainHttpRequests(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AgentTask Task(string id, AgentTaskStatus status, string workspace, DateTimeOffset createdAt) => new()
    {
        TaskId = id,
        JobId = "job-" + id,
        Message = "message of " + id,
        Workspace = workspace,
        Status = status,
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
    };

    [GeneratedRegex("data-task-id=\"([^\"]+)\"")]
    private static partial Regex TaskIds();

    private static async Task<(HttpStatusCode Status, string[] Tasks, string Html)> BoardAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/tasks" + query, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, [.. TaskIds().Matches(html).Select(m => m.Groups[1].Value)], html);
    }

    [Fact]
    public async Task TheBoardListsTheNewestFirstFilteredByStatusWorkspaceAndCreationTime()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        var now = DateTimeOffset.UtcNow;
        await worker.Tasks.CreateAsync(Task("old-a", AgentTaskStatus.Completed, "/w/a", now.AddDays(-3)), Ct);
        await worker.Tasks.CreateAsync(Task("recent-a", AgentTaskStatus.Completed, "/w/a", now.AddHours(-2)), Ct);
        await worker.Tasks.CreateAsync(Task("new-b", AgentTaskStatus.Failed, "/w/b", now.AddMinutes(-10)), Ct);
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        using var client = new HttpClient { BaseAddress = console.Url };

        var all = await BoardAsync(client, "");
        Assert.Equal(HttpStatusCode.OK, all.Status);
        Assert.Equal(["new-b", "recent-a", "old-a"], all.Tasks);
        Assert.Equal(["new-b"], (await BoardAsync(client, "?since=hour")).Tasks);
        Assert.Equal(["new-b", "recent-a"], (await BoardAsync(client, "?since=day")).Tasks);
        Assert.Equal(["recent-a", "old-a"], (await BoardAsync(client, "?status=completed&workspace=%2Fw%2Fa")).Tasks);
        Assert.Equal(["recent-a"], (await BoardAsync(client, "?workspace=%2Fw%2Fa&since=week&status=completed&from=" + now.AddDays(-1).ToString("yyyy-MM-dd"))).Tasks);
        Assert.Equal(["old-a"], (await BoardAsync(client, "?to=" + now.AddDays(-3).ToString("yyyy-MM-dd"))).Tasks);
        Assert.Empty((await BoardAsync(client, "?status=failed&workspace=%2Fw%2Fa")).Tasks);

        var (status, tasks, html) = await BoardAsync(client, "?since=fortnight&from=yesterday");
        Assert.Equal((HttpStatusCode.BadRequest, 0), (status, tasks.Length));
        Assert.Contains("Created since must be hour, day or week, not &#x27;fortnight&#x27;.", html, StringComparison.Ordinal);
        Assert.Contains("From must be a date as yyyy-mm-dd, not &#x27;yesterday&#x27;.", html, StringComparison.Ordinal);
        // The form shows the filters it was given, so that the URL is the board's bookmark.
        Assert.Contains("<option value=\"completed\" selected>", (await BoardAsync(client, "?status=completed")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheEventStreamResumesAfterTheLastEventSeenAndCarriesTheNextOnesLive()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        var log = worker.Services.GetRequiredService<IEventLog>();
        await worker.Tasks.CreateAsync(Task("streamed", AgentTaskStatus.Running, "/w/a", DateTimeOffset.UtcNow), Ct);
        foreach (var text in new[] { "one", "two", "three" })
        {
            await log.AppendAsync("streamed", "note", JsonSerializer.SerializeToElement(new { text }), Ct);
        }

        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        using var client = new HttpClient { BaseAddress = console.Url, Timeout = Patience };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks/streamed/events?after=0");
        request.Headers.Add("Last-Event-ID", "1");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var first = await NextUpdateAsync(stream);
        Assert.Equal("3", first.Id);
        Assert.Equal([2, 3], Seqs(first.Data));
        Assert.Contains("running", first.Data.GetProperty("sections").GetProperty("task-summary").GetString(), StringComparison.Ordinal);

        // Appended through the worker's log, so announced on the broker like every event the worker appends.
        await log.AppendAsync("streamed", "note", JsonSerializer.SerializeToElement(new { text = "four" }), Ct);
        var next = await NextUpdateAsync(stream);

        Assert.Equal("4", next.Id);
        Assert.Equal([4], Seqs(next.Data));
        Assert.Contains("four", next.Data.GetProperty("events")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenTaskPagesShareTheConsolesOneQueueOnTheBrokerAndEachGetsTheNextEvent()
    {
        if (!broker.CanEval)
        {
            Assert.Skip($"Counting the queues bound to the events exchange needs rabbitmqctl: {BrokerFixture.CtlVariable} is not set (.ci/run sets it when it starts the broker).");
        }

        await using var worker = await WorkerHarness.RunAsync(broker);
        var log = worker.Services.GetRequiredService<IEventLog>();
        await worker.Tasks.CreateAsync(Task("watched", AgentTaskStatus.Running, "/w/a", DateTimeOffset.UtcNow), Ct);
        await log.AppendAsync("watched", "note", JsonSerializer.SerializeToElement(new { text = "one" }), Ct);
        var workersOwn = await QueuesBoundToAsync(worker.Names.Events);
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        using var client = new HttpClient { BaseAddress = console.Url, Timeout = Patience };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await QueuesBoundToAsync(worker.Names.Events) == workersOwn && waited.Elapsed < Patience)
        {
            await System.Threading.Tasks.Task.Delay(100, Ct);
        }

        var pages = new List<(HttpResponseMessage Response, StreamReader Stream)>();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync("/tasks/watched/events?after=0", HttpCompletionOption.ResponseHeadersRead, Ct);
            pages.Add((response, new StreamReader(await response.Content.ReadAsStreamAsync(Ct))));
        }

        try
        {
            foreach (var (_, stream) in pages)
            {
                Assert.Equal("1", (await NextUpdateAsync(stream)).Id);
            }

            await log.AppendAsync("watched", "note", JsonSerializer.SerializeToElement(new { text = "two" }), Ct);
            foreach (var (_, stream) in pages)
            {
                var next = await NextUpdateAsync(stream);
                Assert.Equal([2L], Seqs(next.Data));
            }

            Assert.Equal(workersOwn + 1, await QueuesBoundToAsync(worker.Names.Events));
        }
        finally
        {
            foreach (var (response, stream) in pages)
            {
                stream.Dispose();
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task WithoutTheBrokersAnnouncementsTheEventStreamFollowsTheStore()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        await worker.Tasks.CreateAsync(Task("unannounced", AgentTaskStatus.Running, "/w/a", DateTimeOffset.UtcNow), Ct);

        // Written to the store alone: the broker announces nothing of it.
        IEventLog log = new SqliteEventLog(worker.Services.GetRequiredService<SqliteDatabase>(), TimeProvider.System);
        await log.AppendAsync("unannounced", "note", JsonSerializer.SerializeToElement(new { text = "one" }), Ct);
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);

        // The exchange the console binds its queue to is gone: the broker refuses to announce anything to it.
        await broker.DeleteAsync(worker.Names, Ct);
        using var client = new HttpClient { BaseAddress = console.Url, Timeout = Patience };
        using var response = await client.GetAsync("/tasks/unannounced/events?after=0", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        Assert.Equal((HttpStatusCode.OK, "text/event-stream"), (response.StatusCode, response.Content.Headers.ContentType?.MediaType));
        var first = await NextUpdateAsync(stream);
        Assert.Equal([1L], Seqs(first.Data));
        await log.AppendAsync("unannounced", "note", JsonSerializer.SerializeToElement(new { text = "two" }), Ct);
        var next = await NextUpdateAsync(stream);
        Assert.Equal("2", next.Id);
        Assert.Equal([2L], Seqs(next.Data));
    }

    [Fact]
    public async Task ChangesFromAnotherSiteAreRefusedAndCancellingAFinishedTaskIsRefusedWithTheReason()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        await worker.Tasks.CreateAsync(Task("done", AgentTaskStatus.Completed, "/w/a", DateTimeOffset.UtcNow), Ct);
        await worker.Tasks.CreateAsync(Task("busy", AgentTaskStatus.Running, "/w/a", DateTimeOffset.UtcNow), Ct);
        var rules = worker.Services.GetRequiredService<IApprovalRuleStore>();
        await rules.AddAsync(new ApprovalRule("/w/a", new NormalizedAction("fs_write", "a.txt"), "rule-1", "tester", DateTimeOffset.UtcNow), Ct);
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = console.Url };

        foreach (var path in new[] { "/rules/rule-1/revoke", "/tasks/busy/cancel", "/memories/m-1/forget" })
        {
            using var crossSite = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
            crossSite.Headers.Add("Origin", "http://evil.example");
            using var refused = await client.SendAsync(crossSite, Ct);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        Assert.Single(await rules.ListAsync(Ct));
        Assert.Null((await worker.Tasks.GetAsync("busy", Ct))!.CancelRequest);

        using var finished = await client.PostAsync("/tasks/done/cancel", new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.Conflict, finished.StatusCode);
        Assert.Contains("Task done has already finished (completed); there is nothing to cancel.", WebUtility.HtmlDecode(await finished.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        using var notFailed = await client.PostAsync("/tasks/busy/retry", new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.Conflict, notFailed.StatusCode);
        Assert.Contains("Task busy is running; only a failed task runs again.", WebUtility.HtmlDecode(await notFailed.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);

        using var revoked = await client.PostAsync("/rules/rule-1/revoke", new FormUrlEncodedContent([]), Ct);
        Assert.Equal((HttpStatusCode.Redirect, "/rules?revoked=rule-1"), (revoked.StatusCode, revoked.Headers.Location?.OriginalString));
        Assert.Empty(await rules.ListAsync(Ct));
        using var again = await client.PostAsync("/rules/rule-1/revoke", new FormUrlEncodedContent([]), Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    private static long[] Seqs(JsonElement update) =>
        [.. update.GetProperty("events").EnumerateArray().Select(e => long.Parse(DataSeq().Match(e.GetString()!).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex("data-seq=\"(\\d+)\"")]
    private static partial Regex DataSeq();

    /// <summary>The next <c>update</c> message of the stream, skipping comments.</summary>
    /// <summary>How many queues the broker has bound to <paramref name="exchange"/>, whatever their routing keys.</summary>
    private async Task<int> QueuesBoundToAsync(string exchange) =>
        int.Parse(
            await broker.EvalAsync($"length(lists:usort([element(4, B) || B <- rabbit_binding:list_for_source(rabbit_misc:r(<<\"/\">>, exchange, <<\"{exchange}\">>))])).", Ct),
            System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(string Id, JsonElement Data)> NextUpdateAsync(StreamReader stream)
    {
        string? id = null, type = null, data = null;
        while (await stream.ReadLineAsync(Ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (type == "update" && id is not null && data is not null)
                {
                    return (id, JsonDocument.Parse(data).RootElement.Clone());
                }

                (id, type, data) = (null, null, null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        throw new InvalidOperationException("The stream ended.");
    }
}
