using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;
using Microsoft.Data.Sqlite;
using static DuckWorker.Tests.EventKinds;

namespace DuckWorker.Tests.Runtime;

/// <summary>
/// The memory model needs only the answer, so it is asked while the task's move to completed is being stored; what
/// it decides is kept only once that move is stored.
/// </summary>
public sealed class TheMemoryModelIsAskedWhileTheTaskCompletes
{
    private static readonly OllamaReply Remember = Replies.Remember("The user says hello.", "global", 0.6);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<SqliteConnection> OpenAsync(WorkerHarness worker)
    {
        var connection = new SqliteConnection($"Data Source={Path.Join(worker.Folder, "duck.db")}");
        await connection.OpenAsync(Ct);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static async Task<long> MemoriesAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM memories";
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task<bool> SeenAsync(WorkerHarness worker, string model, int after, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!worker.Ollama.Chats.Skip(after).Any(c => c.Model == model))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10, Ct);
        }

        return true;
    }

    [Fact]
    public async Task TheMemoryModelIsAskedWhileTheMoveWaitsForTheStoreAndNothingIsKeptBeforeIt()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;

        // A first task has the store make its file and tables.
        Assert.Equal(AgentTaskStatus.Completed, (await worker.RunAsync("hello", reflect: false)).Status);
        await using var holder = await OpenAsync(worker);
        var memoriesBefore = await MemoriesAsync(holder);
        worker.Ollama
            .Script(WorkerHarness.Thinker, OllamaReply.Text("hello back") with { Delay = TimeSpan.FromMilliseconds(500) })
            .Script(WorkerHarness.Memory, Remember);
        var chats = worker.Ollama.Chats.Count;

        var running = worker.RunAsync("say hello", reflect: false);

        // While the thinker answers, another connection takes the file's write lock: the answer's events and the
        // move to completed wait for it.
        Assert.True(await SeenAsync(worker, WorkerHarness.Thinker, chats, TimeSpan.FromSeconds(10)), "the thinker was never asked");
        await ExecuteAsync(holder, "BEGIN IMMEDIATE");
        var askedWhileLocked = await SeenAsync(worker, WorkerHarness.Memory, chats, TimeSpan.FromSeconds(10));
        var memoriesWhileLocked = await MemoriesAsync(holder);
        var stillRunning = !running.IsCompleted;
        await ExecuteAsync(holder, "ROLLBACK");

        var result = await running;
        Assert.True(askedWhileLocked, "the memory model was not asked while the task's move to completed waited for the store");
        Assert.True(stillRunning, "the run ended while the store was locked");
        Assert.Equal(memoriesBefore, memoriesWhileLocked);
        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.Equal(memoriesBefore + 1, await MemoriesAsync(holder));
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal(
            [EventTypes.TaskCompleted, MemoryCall, EventTypes.MemoryPolicyDecision, EmbeddingCall, EventTypes.MemoryStored],
            events.SkipWhile(e => e.EventType != EventTypes.TaskCompleted).Select(Kind));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
    }

    [Fact]
    public async Task AMoveToCompletedTheStoreRefusesKeepsNoMemory()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        Assert.Equal(AgentTaskStatus.Completed, (await worker.RunAsync("hello", reflect: false)).Status);
        await using var connection = await OpenAsync(worker);
        var memoriesBefore = await MemoriesAsync(connection);
        await ExecuteAsync(connection, "CREATE TRIGGER refuse BEFORE UPDATE ON tasks WHEN NEW.status = 'completed' BEGIN SELECT RAISE(ABORT, 'the disk says no'); END;");
        worker.Ollama.Script(WorkerHarness.Memory, Remember);

        var result = await worker.RunAsync("say hello", reflect: false);

        Assert.Equal(AgentTaskStatus.Failed, result.Status);
        Assert.Contains("the disk says no", result.FinalResponse, StringComparison.Ordinal);
        Assert.Equal(memoriesBefore, await MemoriesAsync(connection));
        var events = await worker.EventsAsync(result.TaskId);
        Assert.DoesNotContain(events, e => e.EventType is EventTypes.TaskCompleted or EventTypes.MemoryPolicyDecision or EventTypes.MemoryStored);
        Assert.Equal(EventTypes.TaskFailed, events[^1].EventType);
    }

    [Fact]
    public async Task AFailedMoveEndsTheRunWithoutWaitingForAMemoryModelThatHangs()
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?> { ["Worker:ModelTimeout"] = "00:02:00" });
        worker.Ollama.Fallback = Replies.Answering;
        Assert.Equal(AgentTaskStatus.Completed, (await worker.RunAsync("hello", reflect: false)).Status);
        await using var connection = await OpenAsync(worker);
        await ExecuteAsync(connection, "CREATE TRIGGER refuse BEFORE UPDATE ON tasks WHEN NEW.status = 'completed' BEGIN SELECT RAISE(ABORT, 'the disk says no'); END;");
        worker.Ollama.Script(WorkerHarness.Memory, OllamaReply.Hanging());

        var running = worker.RunAsync("say hello", reflect: false);

        // Waiting for the memory model would hold the run until Worker:ModelTimeout, two minutes.
        Assert.Same(running, await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(30), Ct)));
        var result = await running;
        Assert.Equal(AgentTaskStatus.Failed, result.Status);
        Assert.Contains("the disk says no", result.FinalResponse, StringComparison.Ordinal);
    }
}
