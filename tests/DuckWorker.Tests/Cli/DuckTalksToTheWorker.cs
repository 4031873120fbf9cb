using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

public sealed class DuckTalksToTheWorker(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Approval> PendingApprovalAsync(WorkerHarness worker, string jobId)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await worker.Tasks.FindByJobIdAsync(jobId, Ct) is { Status: AgentTaskStatus.WaitingForApproval } task
                && await worker.Services.GetRequiredService<IApprovalStore>().FindPendingAsync(task.TaskId, Ct) is { } approval)
            {
                return approval;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Job {jobId} never waited for approval.");
    }

    private static async Task<AgentTask> FinishedAsync(WorkerHarness worker, string jobId)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await worker.Tasks.FindByJobIdAsync(jobId, Ct) is { Status: AgentTaskStatus.Completed or AgentTaskStatus.Failed } task)
            {
                return task;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Job {jobId} never finished.");
    }

    [Fact]
    public async Task SubmitWithWaitFollowsTheTaskAndPrintsTheAnswer()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Answering;

        var (exit, output, errors) = await Duck.RunAsync(worker, "submit", "hello duck", "--wait", "--no-reflect", "--job-id", "cli-1");

        Assert.True(exit == 0, errors);
        Assert.Contains("Submitted job cli-1.", output, StringComparison.Ordinal);
        Assert.Matches(@"\s+1  task_created\s+hello duck", output);
        Assert.Contains("model_call_finished", output, StringComparison.Ordinal);
        Assert.EndsWith("answer to hello duck\n", output, StringComparison.Ordinal);
        Assert.Equal(AgentTaskStatus.Completed, (await worker.Tasks.FindByJobIdAsync("cli-1", Ct))!.Status);
    }

    [Fact]
    public async Task SubmitWithWaitShowsTheApprovalRequestAndApproveByIdLetsItFinish()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");

        var submitting = Duck.RunAsync(worker, "submit", "please write a.txt", "--workspace", "shared", "--wait", "--no-reflect", "--job-id", "cli-2");
        var approval = await PendingApprovalAsync(worker, "cli-2");
        var (approveExit, approveOutput, _) = await Duck.RunAsync(worker, "approve", approval.ApprovalId, "--decided-by", "ci");
        var (exit, output, errors) = await submitting;

        Assert.Equal((0, $"Sent allow_once for approval {approval.ApprovalId}.\n"), (approveExit, approveOutput));
        Assert.True(exit == 0, errors);
        Assert.True(output.Contains($"Approval {approval.ApprovalId} needed (medium risk)", StringComparison.Ordinal), output);
        Assert.Contains("  tool:    fs_write", output, StringComparison.Ordinal);
        Assert.Contains("  forever: fs_write may create or overwrite the file 'a.txt'", output, StringComparison.Ordinal);
        Assert.True(output.Contains($"  decide:  duck approve {approval.ApprovalId} [--forever]   or   duck deny {approval.ApprovalId}", StringComparison.Ordinal), output);
        Assert.Equal("written by duck", await File.ReadAllTextAsync(Path.Join(workspace, "a.txt"), Ct));
        Assert.Equal("ci", (await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!.DecidedBy);
    }

    [Fact]
    public async Task DenyByIdStopsTheActionAndAFailedTaskExitsWithOne()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker && chat.Messages.Any(m => m.Content.Contains("denied_by_user", StringComparison.Ordinal))
            ? Testing.Ollama.OllamaReply.Error(400)
            : Replies.Writing(chat);
        var workspace = worker.Workspace("shared");

        var submitting = Duck.RunAsync(worker, "submit", "please write b.txt", "--workspace", "shared", "--wait", "--no-reflect", "--job-id", "cli-3");
        var approval = await PendingApprovalAsync(worker, "cli-3");
        var (denyExit, _, _) = await Duck.RunAsync(worker, "deny", approval.ApprovalId);
        var (exit, _, errors) = await submitting;

        Assert.Equal(0, denyExit);
        Assert.Equal(1, exit);
        Assert.StartsWith("The task failed: The thinker model failed", errors, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(workspace, "b.txt")));
    }

    [Fact]
    public async Task ApprovalsWatchShowsEachRequestAndSendsTheTypedDecision()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "watched", "message": "please write c.txt", "workspace": "shared", "reflect": false}""", "duck.chat.v1", Ct);

        var (exit, output, errors) = await Duck.RunAsync(worker.Settings, "x\nf\n", "approvals", "watch", "--count", "1", "--decided-by", "watcher");
        var task = await FinishedAsync(worker, "watched");

        Assert.True(exit == 0, errors);
        Assert.Contains($"Watching {worker.Names.ApprovalsRequested} for approval requests.", output, StringComparison.Ordinal);
        Assert.Contains("  action:  {\"path\":\"c.txt\",\"content\":\"written by duck\"}", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("[a]llow once, allow [f]orever, [e]dit then allow once, [d]eny, [s]kip? ").Length - 1);
        Assert.Contains("Sent allow_forever.", output, StringComparison.Ordinal);
        Assert.Equal(AgentTaskStatus.Completed, task.Status);
        Assert.True(File.Exists(Path.Join(workspace, "c.txt")));
        Assert.Equal(ApprovalDecision.AllowForever, (await worker.Services.GetRequiredService<IApprovalStore>().GetAsync(
            (await worker.EventsAsync(task.TaskId)).Single(e => e.EventType == DuckWorker.Runtime.Loop.EventTypes.ToolApprovalRequested).Payload.GetProperty("approval_id").GetString()!, Ct))!.Decision);
    }

    [Fact]
    public async Task ABatchOfFiftyWritesEveryResultAndARerunSubmitsOnlyWhatHasNoOutcome()
    {
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Worker:Concurrency"] = "8" });
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker && chat.Messages.Any(m => m.Content == "question 17")
            ? Testing.Ollama.OllamaReply.Error(400)
            : Replies.Answering(chat);
        var requests = Path.Join(worker.Folder, "requests.jsonl");
        var results = Path.Join(worker.Folder, "results.jsonl");
        await File.WriteAllLinesAsync(requests, Enumerable.Range(1, 50).Select(i => $$"""{"message": "question {{i}}", "reflect": false}"""), Ct);

        var (exit, output, _) = await Duck.RunAsync(worker, "batch", requests, "-o", results);

        Assert.Equal(1, exit);
        Assert.True(output.Contains("50 requests: 0 already have an outcome, 50 submitted.", StringComparison.Ordinal), output);
        Assert.True(output.Contains("50 requests: 49 completed, 1 failed, 0 waiting for approval, 0 without an outcome yet", StringComparison.Ordinal), output);
        var lines = (await File.ReadAllLinesAsync(results, Ct)).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(50, lines.Select(l => l.GetProperty("jobId").GetString()).Distinct().Count());
        var failed = Assert.Single(lines, l => l.GetProperty("status").GetString() == "failed");
        Assert.Equal(17, failed.GetProperty("line").GetInt32());
        Assert.Equal("answer to question 3", lines.Single(l => l.GetProperty("line").GetInt32() == 3).GetProperty("finalResponse").GetString());
        var thinkerCalls = worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker);

        // An interrupted run kept only some results: the rest are submitted again, and the worker runs none twice.
        await File.WriteAllLinesAsync(results, (await File.ReadAllLinesAsync(results, Ct)).Take(30), Ct);
        var (rerunExit, rerun, _) = await Duck.RunAsync(worker, "batch", requests, "-o", results);

        Assert.Equal(1, rerunExit);
        Assert.Contains("50 requests: 30 already have an outcome, 20 submitted.", rerun, StringComparison.Ordinal);
        Assert.Equal(50, (await File.ReadAllLinesAsync(results, Ct)).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("jobId").GetString()).Distinct().Count());
        Assert.Equal(thinkerCalls, worker.Ollama.Chats.Count(c => c.Model == WorkerHarness.Thinker));
    }
}
