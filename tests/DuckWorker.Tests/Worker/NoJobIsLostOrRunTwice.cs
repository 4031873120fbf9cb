using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Worker;

[Collection(nameof(RunsAlone))]
public sealed class NoJobIsLostOrRunTwice(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Job(int i) => $$"""{"jobId": "job-{{i:D3}}", "message": "question {{i}}", "reflect": false}""";

    private static async Task<IReadOnlyList<AgentTask>> WaitForTasksAsync(WorkerHarness worker, int count, TimeSpan patience)
    {
        var deadline = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var tasks = new List<AgentTask>();
            for (var i = 0; i < count; i++)
            {
                if (await worker.Tasks.FindByJobIdAsync($"job-{i:D3}", Ct) is { } task && task.Status is AgentTaskStatus.Completed or AgentTaskStatus.Failed)
                {
                    tasks.Add(task);
                }
            }

            if (tasks.Count == count)
            {
                return tasks;
            }

            if (TimeProvider.System.GetElapsedTime(deadline) > patience)
            {
                throw new TimeoutException($"Only {tasks.Count} of {count} jobs finished within {patience}.");
            }

            await Task.Delay(200, Ct);
        }
    }

    [Fact]
    public async Task ABrokerRestartInTheMiddleOfABatchFinishesEveryJobExactlyOnce()
    {
        broker.SkipIfUnavailable();
        if (!broker.CanRestart)
        {
            Assert.Skip($"This broker cannot be restarted from the tests: set {BrokerFixture.RestartVariable} (.ci/run does).");
        }

        const int jobs = 200;
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Worker:Concurrency"] = "8" });
        worker.Ollama.Latency = TimeSpan.FromMilliseconds(20);
        worker.Ollama.Fallback = Replies.Answering;
        for (var i = 0; i < jobs; i++)
        {
            await broker.PublishAsync(worker.Names.Jobs, Job(i), "duck.chat.v1", Ct);
        }

        while (worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker) < jobs / 4)
        {
            await Task.Delay(20, Ct);
        }

        await broker.RestartAsync(Ct);
        var tasks = await WaitForTasksAsync(worker, jobs, TimeSpan.FromMinutes(3));

        Assert.All(tasks, t => Assert.Equal(AgentTaskStatus.Completed, t.Status));
        Assert.Equal(jobs, tasks.Select(t => t.TaskId).Distinct().Count());
        Assert.Equal(jobs, worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker));
        foreach (var task in tasks)
        {
            Assert.Single(await worker.EventTypesAsync(task.TaskId), t => t == EventTypes.TaskCompleted);
        }

        Assert.Equal((uint)0, await broker.MessageCountAsync(worker.Names.Jobs, Ct));
    }

    [Fact]
    public async Task StoppingInTheMiddleOfABatchHandsBackWhatIsUnfinishedAndTheNextWorkerFinishesIt()
    {
        const int jobs = 20;
        var ollama = await OllamaTestServer.StartAsync(Ct);
        await using var ollamaLifetime = ollama;
        ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker ? OllamaReply.Text("answer") with { Delay = TimeSpan.FromMilliseconds(400) } : Replies.Answering(chat);
        var names = broker.UniqueNames();
        await using var first = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Worker:ShutdownTimeout"] = "00:00:00.200" }, names, ollama);
        var shared = new Dictionary<string, string?> { ["Sqlite:Path"] = Path.Join(first.Folder, "duck.db"), ["Tools:WorkspaceRoot"] = first.WorkspaceRoot };
        for (var i = 0; i < jobs; i++)
        {
            await broker.PublishAsync(names.Jobs, Job(i), "duck.chat.v1", Ct);
        }

        while (ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker) < 6)
        {
            await Task.Delay(20, Ct);
        }

        await first.StopAsync();
        var finishedByFirst = 0;
        for (var i = 0; i < jobs; i++)
        {
            finishedByFirst += await first.Tasks.FindByJobIdAsync($"job-{i:D3}", Ct) is { Status: AgentTaskStatus.Completed } ? 1 : 0;
        }

        Assert.InRange(finishedByFirst, 1, jobs - 1);
        // The broker puts the unacknowledged messages back a moment after the channel closed.
        var waiting = await broker.MessageCountAsync(names.Jobs, Ct);
        for (var i = 0; i < 50 && waiting < jobs - finishedByFirst; i++)
        {
            await Task.Delay(100, Ct);
            waiting = await broker.MessageCountAsync(names.Jobs, Ct);
        }

        Assert.True(waiting >= jobs - finishedByFirst, $"every unfinished job is back in the queue: {waiting} wait, {finishedByFirst} of {jobs} finished");

        await using var second = await WorkerHarness.RunAsync(broker, shared, names, ollama);
        var tasks = await WaitForTasksAsync(second, jobs, TimeSpan.FromMinutes(2));

        Assert.All(tasks, t => Assert.Equal(AgentTaskStatus.Completed, t.Status));
        foreach (var task in tasks)
        {
            var types = await second.EventTypesAsync(task.TaskId);
            Assert.Single(types, t => t == EventTypes.TaskCompleted);
            var thinkerCalls = types.Count(t => t == EventTypes.ModelCallStarted) - types.Count(t => t == EventTypes.ActionDirective || t == EventTypes.ActionDirectiveFailed);
            Assert.True(thinkerCalls == 1 || types.Contains(EventTypes.TaskResumed), $"task {task.JobId} asked the thinker {thinkerCalls} times without a recorded resumption");
        }
    }
}
