using System.Text.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

public sealed class DuckListsPendingApprovalsAndRules(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<AgentTask> TaskInAsync(WorkerHarness worker, string jobId, AgentTaskStatus status)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await worker.Tasks.FindByJobIdAsync(jobId, Ct) is { } task && task.Status == status)
            {
                return task;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Job {jobId} never reached {status}.");
    }

    [Fact]
    public async Task PendingApprovalsAreListedOldestFirstAndAnAllowForeverBecomesARuleThatCanBeRevoked()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("first");
        worker.Workspace("second");

        var empty = await Duck.RunAsync(worker, "approvals", "list");
        var noRules = await Duck.RunAsync(worker, "rules", "list");
        await Duck.RunAsync(worker, "submit", "please write a.txt", "--workspace", "first", "--no-reflect", "--job-id", "older");
        var older = await TaskInAsync(worker, "older", AgentTaskStatus.WaitingForApproval);
        await Duck.RunAsync(worker, "submit", "please write b.txt", "--workspace", "second", "--no-reflect", "--job-id", "newer");
        var newer = await TaskInAsync(worker, "newer", AgentTaskStatus.WaitingForApproval);
        var approvals = worker.Services.GetRequiredService<IApprovalStore>();
        var olderApproval = (await approvals.FindPendingAsync(older.TaskId, Ct))!;
        var newerApproval = (await approvals.FindPendingAsync(newer.TaskId, Ct))!;

        var table = await Duck.RunAsync(worker, "approvals", "list");
        var json = await Duck.RunAsync(worker, "approvals", "list", "--json");

        Assert.Equal((0, "No pending approvals.\n"), (empty.Exit, empty.Output));
        Assert.Equal((0, "No allow-forever rules.\n"), (noRules.Exit, noRules.Output));
        Assert.True(table.Exit == 0, table.Errors);
        var rows = table.Output.Split('\n').Where(l => l.Contains(older.TaskId, StringComparison.Ordinal) || l.Contains(newer.TaskId, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches($@"│ {olderApproval.ApprovalId}\s+│ {older.TaskId}\s+│ fs_write\s+│ {{""path"":""a.txt"",""content"":""written by duck""}}\s+│ medium\s+│ \d+s\s+│", rows[0]);
        Assert.Contains(newerApproval.ApprovalId, rows[1], StringComparison.Ordinal);
        Assert.Equal(
            [olderApproval.ApprovalId, newerApproval.ApprovalId],
            JsonDocument.Parse(json.Output).RootElement.EnumerateArray().Select(a => a.GetProperty("approvalId").GetString()));

        await Duck.RunAsync(worker, "approve", olderApproval.ApprovalId, "--forever", "--decided-by", "cli");
        await TaskInAsync(worker, "older", AgentTaskStatus.Completed);
        var left = await Duck.RunAsync(worker, "approvals", "list", "--json");
        var rules = await Duck.RunAsync(worker, "rules", "list");
        var revoked = await Duck.RunAsync(worker, "rules", "revoke", olderApproval.ApprovalId);
        var again = await Duck.RunAsync(worker, "rules", "revoke", olderApproval.ApprovalId);
        var afterRevoke = await Duck.RunAsync(worker, "rules", "list", "--json");

        Assert.Equal([newerApproval.ApprovalId], JsonDocument.Parse(left.Output).RootElement.EnumerateArray().Select(a => a.GetProperty("approvalId").GetString()));
        Assert.Matches($@"│ {olderApproval.ApprovalId}\s+│ {Regex(older.Workspace)}\s+│ fs_write\s+│ a\.txt\s+│ cli\s+│ \d{{4}}-", rules.Output);
        Assert.Equal((0, $"Revoked rule {olderApproval.ApprovalId}: its action asks for approval again.\n"), (revoked.Exit, revoked.Output));
        Assert.Equal((2, $"No allow-forever rule has the id '{olderApproval.ApprovalId}'; duck rules list shows them.\n"), (again.Exit, again.Errors));
        Assert.Equal("[]", afterRevoke.Output.Trim());
        Assert.False(await worker.Services.GetRequiredService<IApprovalRuleStore>().ExistsAsync(older.Workspace!, olderApproval.NormalizedAction, Ct));
    }

    private static string Regex(string? text) => System.Text.RegularExpressions.Regex.Escape(text ?? "");
}
