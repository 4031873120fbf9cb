using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests.Worker;

public sealed class AWorkerKilledDuringAnApprovedCommandResumesWithoutRunningItAgain(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-killed-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string> Environment(BrokerNames names, OllamaTestServer ollama)
    {
        var environment = WorkerEnvironment.For(broker.Uri!, names, ollama.BaseUrl, folder, WorkerHarness.Models);
        environment["DUCK_Worker__LeaseDuration"] = "00:00:02";
        environment["DUCK_Worker__SweepInterval"] = "00:00:00.200";
        return environment;
    }

    [Fact]
    public async Task TheResumedTaskReportsTheCommandInterruptedAndNeverWaitsForItsDecisionAgain()
    {
        broker.SkipIfUnavailable();
        var workspace = Directory.CreateDirectory(Path.Join(folder, "workspaces", "shared")).FullName;
        var runs = Path.Join(workspace, "runs.txt");
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Fallback = chat => chat.Model == WorkerHarness.Action && !chat.Messages.Any(m => m.Content.StartsWith("tool_observations", StringComparison.Ordinal))
            ? OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command = "echo ran >> runs.txt && sleep 30" }, reason = "count" })
            : Replies.Answering(chat);
        var names = broker.UniqueNames();
        var environment = Environment(names, ollama);
        var first = WorkerProcess.Start(folder, environment);
        try
        {
            await first.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);
        }
        catch
        {
            await first.DisposeAsync();
            throw;
        }

        await using var approvals = await broker.InboxAsync(names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(names.Events, Ct, "task.completed", "task.failed");
        await using (first)
        {
            await broker.PublishAsync(names.Jobs, JsonSerializer.Serialize(new { jobId = "killed", message = "count once", workspace = "shared", reflect = false }), "duck.chat.v1", Ct);
            var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
            await broker.PublishAsync(names.Decisions, JsonSerializer.Serialize(new { approvalId = request.GetProperty("approvalId").GetString(), decision = "allow_once", decidedBy = "tester" }), "duck.approval-decision.v1", Ct);
            while (!File.Exists(runs))
            {
                await Task.Delay(20, Ct);
            }

            // Leaving this block SIGKILLs the worker (and its command) while the approved command runs.
        }

        await using (var second = WorkerProcess.Start(folder, environment))
        {
            var done = await finished.WaitForAsync(_ => true, Patience, Ct);
            Assert.Equal("completed", done.Json.GetProperty("status").GetString());
        }

        Assert.Equal(["ran"], await File.ReadAllLinesAsync(runs, Ct));
        Assert.Single(approvals.Received);
        var events = await EventsAsync("killed");
        Assert.Single(events, e => e.EventType == EventTypes.TaskWaitingForApproval);
        var interrupted = Assert.Single(events, e => e.EventType == EventTypes.ToolCallFinished).Payload.GetProperty("result");
        Assert.True(interrupted.GetProperty("metadata").GetProperty("interrupted").GetBoolean());
        Assert.Contains("may or may not have taken effect", interrupted.GetProperty("error").GetString(), StringComparison.Ordinal);
        await broker.DeleteAsync(names, Ct);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<IReadOnlyList<TaskEvent>> EventsAsync(string jobId)
    {
        var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, "duck.db") }));
        var task = (await new SqliteTaskStore(database).FindByJobIdAsync(jobId, Ct))!;
        var events = new List<TaskEvent>();
        await foreach (var entry in new SqliteEventLog(database, TimeProvider.System).ReadAsync(task.TaskId, 0, Ct))
        {
            events.Add(entry);
        }

        return events;
    }
}
