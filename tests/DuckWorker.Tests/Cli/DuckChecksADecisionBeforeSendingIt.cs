using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

/// <summary>
/// <c>duck approve</c> and <c>duck deny</c> send only a decision that can apply: an unknown approval, one already
/// decided, one whose task has ended, or one of another task than <c>--task</c> is refused with exit code 2 and
/// the reason, and nothing reaches the decisions queue.
/// </summary>
public sealed class DuckChecksADecisionBeforeSendingIt(BrokerFixture broker)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A task of its own, paused for approval of writing <paramref name="file"/>, and that approval.</summary>
    internal static async Task<Approval> WaitingApprovalAsync(WorkerHarness worker, string jobId, string file)
    {
        var result = await worker.RunAsync($"please write {file}", workspace: "shared", jobId: jobId, reflect: false);
        Assert.Equal(AgentTaskStatus.WaitingForApproval, result.Status);
        return (await worker.Services.GetRequiredService<IApprovalStore>().FindPendingAsync(result.TaskId, Ct))!;
    }

    [Fact]
    public async Task OnlyADecisionThatCanApplyIsSent()
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        var names = broker.UniqueNames();
        var settings = new Dictionary<string, string?>(worker.Settings.Concat(names.Settings(broker.Uri!)));
        var open = await WaitingApprovalAsync(worker, "open", "a.txt");
        var other = await WaitingApprovalAsync(worker, "other", "b.txt");
        var decided = await WaitingApprovalAsync(worker, "decided", "c.txt");
        var closed = await WaitingApprovalAsync(worker, "closed", "d.txt");
        await worker.Approvals.DecideAsync(decided.ApprovalId, ApprovalDecision.Deny, "someone", null, Ct);
        await worker.Loop.FailAsync((await worker.Tasks.GetAsync(closed.TaskId, Ct))!, "stopped by the test", Ct);

        try
        {
            var sent = await Duck.RunAsync(settings, "", "approve", open.ApprovalId, "--task", "open");
            var unknown = await Duck.RunAsync(settings, "", "approve", "no-such-approval");
            var again = await Duck.RunAsync(settings, "", "approve", decided.ApprovalId);
            var ended = await Duck.RunAsync(settings, "", "deny", closed.ApprovalId);
            var wrongTask = await Duck.RunAsync(settings, "", "approve", other.ApprovalId, "--forever", "--task", "open");

            Assert.Equal((0, $"Sent allow_once for approval {open.ApprovalId}.\n"), (sent.Exit, sent.Output));
            Assert.Equal((2, "", "No approval has the id 'no-such-approval'. Nothing was sent.\n"), unknown);
            Assert.Equal((2, "", $"Approval {decided.ApprovalId} was already decided: deny by someone. Nothing was sent.\n"), again);
            Assert.Equal((2, "", $"Approval {closed.ApprovalId} is closed: its task {closed.TaskId} is failed. Nothing was sent.\n"), ended);
            Assert.Equal((2, "", $"Approval {other.ApprovalId} belongs to task {other.TaskId}, not to task {open.TaskId}. Nothing was sent.\n"), wrongTask);
            Assert.Equal(1u, await broker.MessageCountAsync(names.Decisions, Ct));
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }
}
