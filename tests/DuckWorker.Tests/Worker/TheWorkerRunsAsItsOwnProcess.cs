using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests.Worker;

public sealed class TheWorkerRunsAsItsOwnProcess(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-process-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string> Environment(Uri brokerUri, BrokerNames names, OllamaTestServer ollama)
    {
        var environment = WorkerEnvironment.For(brokerUri, names, ollama.BaseUrl, folder, WorkerHarness.Models);
        environment["DUCK_Worker__ShutdownTimeout"] = "00:00:00.300";
        environment["DUCK_Worker__Concurrency"] = "4";
        return environment;
    }

    [Fact]
    public async Task ItServesJobsAndOnSigtermHandsBackWhatItHasNotFinished()
    {
        broker.SkipIfUnavailable();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker && !chat.Messages.Any(m => m.Content == "first")
            ? Replies.Answering(chat) with { Delay = TimeSpan.FromMilliseconds(500) }
            : Replies.Answering(chat);
        var names = broker.UniqueNames();
        var environment = Environment(broker.Uri!, names, ollama);

        await using (var first = WorkerProcess.Start(folder, environment))
        {
            await first.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);
            await broker.PublishAsync(names.Jobs, """{"jobId": "p-0", "message": "first", "reflect": false}""", "duck.chat.v1", Ct);
            await WaitForCompletedAsync(["p-0"]);
            for (var i = 1; i <= 12; i++)
            {
                await broker.PublishAsync(names.Jobs, $$"""{"jobId": "p-{{i}}", "message": "slow {{i}}", "reflect": false}""", "duck.chat.v1", Ct);
            }

            while (ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker) < 4)
            {
                await Task.Delay(20, Ct);
            }

            await first.TerminateAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(0, first.ExitCode);
            Assert.Contains($"Stopping: no new messages from {names.Jobs}", first.Output, StringComparison.Ordinal);
            Assert.Contains("Closed the connection to RabbitMQ", first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("was lost", first.Output, StringComparison.Ordinal);
        }

        Assert.True(await broker.MessageCountAsync(names.Jobs, Ct) > 0, "the jobs the first worker did not finish are back in the queue");

        await using (var second = WorkerProcess.Start(folder, environment))
        {
            var tasks = await WaitForCompletedAsync([.. Enumerable.Range(0, 13).Select(i => $"p-{i}")]);
            Assert.Equal(13, tasks.Select(t => t.TaskId).Distinct().Count());
        }

        await broker.DeleteAsync(names, Ct);
    }

    [Fact]
    public async Task WithoutABrokerItSaysSoAndKeepsTrying()
    {
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        var environment = Environment(new Uri("amqp://duck:s3cret-password@127.0.0.1:1/"), new BrokerNames("nobroker"), ollama);

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync("Trying again in", Patience, Ct);
        await worker.WaitForOutputAsync("Trying again in 00:00:01", Patience, Ct);

        Assert.False(worker.HasExited);
        Assert.Contains("No broker answers at amqp://127.0.0.1:1/ (RabbitMq:Uri)", worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-password", worker.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private async Task<IReadOnlyList<AgentTask>> WaitForCompletedAsync(IReadOnlyList<string> jobIds)
    {
        var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, "duck.db") }));
        var tasks = new SqliteTaskStore(database);
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var done = new List<AgentTask>();
            foreach (var jobId in jobIds)
            {
                if (await tasks.FindByJobIdAsync(jobId, Ct) is { Status: AgentTaskStatus.Completed } task)
                {
                    done.Add(task);
                }
            }

            if (done.Count == jobIds.Count)
            {
                return done;
            }

            if (TimeProvider.System.GetElapsedTime(started) > Patience)
            {
                throw new TimeoutException($"Only {done.Count} of {jobIds.Count} jobs completed.");
            }

            await Task.Delay(100, Ct);
        }
    }
}
