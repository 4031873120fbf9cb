using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using DuckWorker.Testing.Ollama;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Tests.Runtime;

/// <summary>
/// A run does not wait for the events of its progress to be stored; these tests hold it to what it still
/// promises: no tool call before everything before it is stored, and no event stored after one that was lost.
/// </summary>
public sealed class EventsWrittenBehindTheRunKeepTheLogWhole
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Makes the real store refuse to insert events of one type, as a full disk or a broken file would.</summary>
    private static async Task RefuseAsync(WorkerHarness worker, string eventType)
    {
        // A first task has the store make its file and tables.
        Assert.Equal(AgentTaskStatus.Completed, (await worker.RunAsync("hello", reflect: false)).Status);
        await using var connection = new SqliteConnection($"Data Source={Path.Join(worker.Folder, "duck.db")}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.event_type = '{eventType}' BEGIN SELECT RAISE(ABORT, 'the disk says no'); END;";
        await command.ExecuteNonQueryAsync(Ct);
    }

    [Fact]
    public async Task ADirectiveTheStoreLosesRunsNoneOfItsToolsAndFailsTheTask()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("notes");
        worker.Ollama.Fallback = Replies.Answering;
        await RefuseAsync(worker, EventTypes.ActionDirective);

        // A command allowed for good in the workspace runs without a pause: only the log stands before it.
        const string command = "touch canary";
        var call = worker.Services.GetRequiredService<ToolGateway>().Prepare(new ToolAction(ToolNames.Shell, new() { ["command"] = command }, null), new ToolContext("t", workspace));
        await worker.Services.GetRequiredService<IApprovalRuleStore>().AddAsync(new ApprovalRule(workspace, call.Assessment.Action, "earlier", "tester", DateTimeOffset.UtcNow), Ct);
        worker.Ollama.Script(WorkerHarness.Action, OllamaReply.Actions(new { tool = ToolNames.Shell, args = new { command }, reason = "leave a trace" }));
        var chats = worker.Ollama.Chats.Count;

        var result = await worker.RunAsync("touch the canary", workspace: "notes", reflect: false);

        Assert.Equal(AgentTaskStatus.Failed, result.Status);
        Assert.Contains("the disk says no", result.FinalResponse, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(workspace, "canary")), "a tool ran although the directive that asked for it was never stored");
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(EventTypes.TaskFailed, events[^1].EventType);
        Assert.DoesNotContain(events, e => e.EventType is EventTypes.ActionDirective or EventTypes.ToolCallStarted or EventTypes.ToolCallFinished);
        Assert.DoesNotContain(worker.Ollama.Chats.Skip(chats), c => c.Model == WorkerHarness.Thinker);
    }

    [Fact]
    public async Task AnAnswerTheStoreLosesNeverCompletesTheTask()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        await RefuseAsync(worker, EventTypes.CognitionResponse);

        var result = await worker.RunAsync("say hello", reflect: false);

        Assert.Equal(AgentTaskStatus.Failed, result.Status);
        Assert.Contains("the disk says no", result.FinalResponse, StringComparison.Ordinal);
        var task = (await worker.Tasks.GetAsync(result.TaskId, Ct))!;
        Assert.Equal((AgentTaskStatus.Failed, null), (task.Status, task.FinalResponse));
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.DoesNotContain(events, e => e.EventType is EventTypes.CognitionResponse or EventTypes.TaskCompleted or EventTypes.MemoryPolicyDecision);
        Assert.Equal(EventTypes.TaskFailed, events[^1].EventType);
    }

    [Fact]
    public async Task EveryEventOfARunIsStoredWhenItReturns()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        Assert.Equal(AgentTaskStatus.Completed, (await worker.RunAsync("hello", reflect: false)).Status);
        await using (var connection = new SqliteConnection($"Data Source={Path.Join(worker.Folder, "duck.db")}"))
        {
            // The last event of a run takes its time to store, as on a slow disk.
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText =
                """
                CREATE TRIGGER slow AFTER INSERT ON events WHEN NEW.event_type = 'reflection_completed' BEGIN
                  SELECT count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT x FROM c);
                END;
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => worker.RunAsync($"hello {i}")));

        foreach (var result in results)
        {
            Assert.Equal(AgentTaskStatus.Completed, result.Status);
            var types = await worker.EventTypesAsync(result.TaskId);
            Assert.Equal([EventTypes.MemoryPolicyDecision, EventTypes.ModelCallFinished, EventTypes.ReflectionCompleted], types.TakeLast(3));
        }
    }
}
