using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

public sealed class EventsFollowWaitsForAQueuedJob(BrokerFixture broker)
{
    [Fact]
    public async Task FollowingAJobNoWorkerHasTakenYetSaysItIsQueuedThenShowsItsEvents()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Answering;

        var following = Duck.RunAsync(worker, "tasks", "events", "followed-job", "--follow");
        var submitted = await Duck.RunAsync(worker, "submit", "hello", "--job-id", "followed-job", "--no-reflect");
        var (exit, output, errors) = await following;

        Assert.Equal(0, submitted.Exit);
        Assert.True(exit == 0, errors);
        Assert.StartsWith("No task has the id (or job id) 'followed-job' yet: its job is queued", output, StringComparison.Ordinal);
        Assert.Matches(@"\s+1  task_created\s+hello", output);
        Assert.Matches(@"task_completed\s+answer to hello", output);
    }
}
