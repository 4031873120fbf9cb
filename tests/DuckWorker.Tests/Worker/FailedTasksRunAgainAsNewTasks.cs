using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Tests.Cli;

namespace DuckWorker.Tests.Worker;

/// <summary><c>duck tasks retry</c> against the real broker and store.</summary>
public sealed class FailedTasksRunAgainAsNewTasks(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFailedTaskRunsAgainAsANewTaskOfTheSameJob()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        var thinkerCalls = 0;
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker && Interlocked.Increment(ref thinkerCalls) == 1
            ? OllamaReply.Text("")
            : Replies.Answering(chat);
        var workspace = worker.Workspace("kept");
        var replies = $"{worker.Names.Prefix}.replies";
        await broker.DeclareQueueAsync(replies, Ct);
        await using var replied = await broker.ConsumeAsync(replies, Ct);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        var job = JsonSerializer.Serialize(new { jobId = "job-r", message = "say hello", workspace = "kept", reflect = false, history = new[] { new { role = "user", content = "earlier turn" } } });
        await broker.PublishAsync(worker.Names.Jobs, job, "duck.chat.v1", Ct, replyTo: replies);
        var first = await finished.WaitForAsync(m => m.CorrelationId == "job-r", Patience, Ct);
        var failedId = first.Json.GetProperty("taskId").GetString()!;
        var retry = await Duck.RunAsync(worker, "tasks", "retry", "job-r", "--by", "tester", "--json");
        var second = await finished.WaitForAsync(m => m.CorrelationId == "job-r#retry-1", Patience, Ct);

        Assert.Equal("failed", first.Json.GetProperty("status").GetString());
        Assert.Equal((0, ""), (retry.Exit, retry.Errors));
        var printed = JsonDocument.Parse(retry.Output).RootElement;
        var retryId = printed.GetProperty("taskId").GetString()!;
        Assert.Equal(("job-r#retry-1", failedId), (printed.GetProperty("jobId").GetString(), printed.GetProperty("retryOf").GetString()));
        Assert.Equal(("completed", "answer to say hello", retryId), (second.Json.GetProperty("status").GetString(), second.Json.GetProperty("finalResponse").GetString(), second.Json.GetProperty("taskId").GetString()));
        var retried = (await worker.EventsAsync(failedId)).Single(e => e.EventType == EventTypes.TaskRetried).Payload;
        Assert.Equal((retryId, "job-r#retry-1", "tester"), (retried.GetProperty("new_task_id").GetString(), retried.GetProperty("new_job_id").GetString(), retried.GetProperty("by").GetString()));
        var failed = (await worker.Tasks.GetAsync(failedId, Ct))!;
        var rerun = (await worker.Tasks.GetAsync(retryId, Ct))!;
        Assert.Equal((failed.Message, workspace, failed.ReplyTo, failed.Reflect), (rerun.Message, rerun.Workspace, rerun.ReplyTo, rerun.Reflect));
        Assert.Equal(failed.Context, rerun.Context);
        Assert.Contains(worker.Ollama.Chats.Last(c => c.Model == WorkerHarness.Thinker).Messages, m => m.Content == "earlier turn");
        await replied.WaitForCountAsync(_ => true, 2, Patience, Ct);
        Assert.Equal(AgentTaskStatus.Failed, (await worker.Tasks.GetAsync(failedId, Ct))!.Status);

        var again = await Duck.RunAsync(worker, "tasks", "retry", failedId, "--by", "tester");
        Assert.Equal(0, again.Exit);
        Assert.Contains("(job job-r#retry-2)", again.Output, StringComparison.Ordinal);
        await finished.WaitForAsync(m => m.CorrelationId == "job-r#retry-2", Patience, Ct);
        await broker.DeleteQueueAsync(replies, Ct);
    }

    [Fact]
    public async Task OnlyAFailedTaskRunsAgain()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        var done = await worker.RunAsync("say hello", reflect: false);

        var completed = await Duck.RunAsync(worker, "tasks", "retry", done.TaskId);
        var unknown = await Duck.RunAsync(worker, "tasks", "retry", "no-such-task");

        Assert.Equal(2, completed.Exit);
        Assert.Contains($"Task {done.TaskId} is completed; only a failed task runs again.", completed.Errors, StringComparison.Ordinal);
        Assert.Equal(2, unknown.Exit);
        Assert.Contains("No task has the id (or job id) 'no-such-task'", unknown.Errors, StringComparison.Ordinal);
        Assert.Single(await worker.Tasks.ListAsync(null, 10, Ct));
    }

    [Fact]
    public async Task AJobCancelledBeforeItStartedCannotRunAgainFromItsTask()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var cancelled = (await worker.Loop.CancelQueuedJobAsync("never-started", "tester", null, Ct))!;

        var (retry, refusal) = await worker.Loop.RetryAsync(cancelled, "tester", Ct);

        Assert.Null(retry);
        Assert.Contains("Submit the job again", refusal, StringComparison.Ordinal);
    }
}
