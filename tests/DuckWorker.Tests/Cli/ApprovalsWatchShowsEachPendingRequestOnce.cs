using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Cli;

/// <summary>
/// <c>duck approvals watch</c> shows each request that still waits once (not a second copy, not a decided or
/// closed one), keeps a skipped request for the next watch, and ends at the end of its input.
/// </summary>
public sealed class ApprovalsWatchShowsEachPendingRequestOnce(BrokerFixture broker)
{
    private const string Prompt = "[a]llow once, allow [f]orever, [e]dit then allow once, [d]eny, [s]kip? ";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task AnnounceAsync(BrokerFixture broker, BrokerNames names, Approval approval) =>
        broker.PublishAsync(
            names.ApprovalsRequested,
            System.Text.Json.JsonSerializer.Serialize(new { approvalId = approval.ApprovalId, taskId = approval.TaskId, tool = "fs_write", action = new { tool = "fs_write", args = new { path = "x" } } }),
            "duck.approval-requested.v1",
            Ct);

    private static int Count(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public async Task DuplicatesAndDecidedRequestsAreNotShownAndASkippedOneComesBack()
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        var names = broker.UniqueNames();
        var settings = new Dictionary<string, string?>(worker.Settings.Concat(names.Settings(broker.Uri!)));
        var skipped = await DuckChecksADecisionBeforeSendingIt.WaitingApprovalAsync(worker, "skipped", "a.txt");
        var decided = await DuckChecksADecisionBeforeSendingIt.WaitingApprovalAsync(worker, "decided", "b.txt");
        var closed = await DuckChecksADecisionBeforeSendingIt.WaitingApprovalAsync(worker, "closed", "c.txt");
        var denied = await DuckChecksADecisionBeforeSendingIt.WaitingApprovalAsync(worker, "denied", "d.txt");
        await worker.Approvals.DecideAsync(decided.ApprovalId, ApprovalDecision.AllowOnce, "someone", null, Ct);
        await worker.Loop.FailAsync((await worker.Tasks.GetAsync(closed.TaskId, Ct))!, "stopped by the test", Ct);

        try
        {
            // With nothing to answer and nothing to type, the watch ends (and has declared the inbox).
            var empty = await Duck.RunAsync(settings, "", "approvals", "watch");
            foreach (var approval in new[] { skipped, skipped, decided, closed, denied, denied })
            {
                await AnnounceAsync(broker, names, approval);
            }

            var first = await Duck.RunAsync(settings, "s\nd\n", "approvals", "watch", "--decided-by", "watcher");
            var second = await Duck.RunAsync(settings, "a\n", "approvals", "watch", "--decided-by", "watcher");

            Assert.Equal((0, ""), (empty.Exit, empty.Errors));
            Assert.True(first.Exit == 0, first.Errors);
            Assert.Equal(1, Count(first.Output, $"Approval {skipped.ApprovalId} needed"));
            Assert.Equal(1, Count(first.Output, $"Approval {denied.ApprovalId} needed"));
            Assert.DoesNotContain(decided.ApprovalId, first.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(closed.ApprovalId, first.Output, StringComparison.Ordinal);
            Assert.Equal(2, Count(first.Output, Prompt));
            Assert.Contains($"Skipped; it stays in the inbox for the next watch, or decide with: duck approve {skipped.ApprovalId}", first.Output, StringComparison.Ordinal);
            Assert.Contains("Sent deny.", first.Output, StringComparison.Ordinal);

            Assert.True(second.Exit == 0, second.Errors);
            Assert.Equal(1, Count(second.Output, $"Approval {skipped.ApprovalId} needed"));
            Assert.DoesNotContain(denied.ApprovalId, second.Output, StringComparison.Ordinal);
            Assert.Contains("Sent allow_once.", second.Output, StringComparison.Ordinal);
            Assert.Equal(0u, await broker.MessageCountAsync(names.ApprovalsRequested, Ct));
            Assert.Equal(2u, await broker.MessageCountAsync(names.Decisions, Ct));
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    [Fact]
    public async Task OnATerminalOneKeyDecidesWithoutEnterAndCtrlDEndsTheWatch()
    {
        broker.SkipIfUnavailable();
        if (!File.Exists("/usr/bin/script"))
        {
            Assert.Skip("util-linux's script (package bsdutils) is not installed: no pseudo-terminal to type keys into.");
        }

        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        var names = broker.UniqueNames();
        var settings = worker.Settings.Concat(names.Settings(broker.Uri!)).ToList();
        var waiting = await DuckChecksADecisionBeforeSendingIt.WaitingApprovalAsync(worker, "keyed", "a.txt");
        var patience = TimeSpan.FromSeconds(60);

        try
        {
            await using var duck = DuckProcess.StartOnATerminal(settings, "approvals", "watch", "--decided-by", "typist");
            await duck.WaitForOutputAsync("Watching", patience, Ct);
            await AnnounceAsync(broker, names, waiting);
            await duck.WaitForOutputAsync("  forever: ", patience, Ct);
            // After the key, a terminal asks for a comment line (its prompt has no line end to wait for).
            await duck.Input.WriteAsync("dnot now\r");
            await duck.Input.FlushAsync(Ct);
            await duck.WaitForOutputAsync("Comment (Enter for none): not now", patience, Ct);
            await duck.WaitForOutputAsync("Sent deny.", patience, Ct);
            await duck.Input.WriteAsync('\u0004');
            await duck.Input.FlushAsync(Ct);
            await duck.WaitForExitAsync(patience, Ct);

            Assert.True(duck.ExitCode == 0, duck.Output);
            Assert.Equal(1u, await broker.MessageCountAsync(names.Decisions, Ct));
            await using var decisions = await broker.ConsumeAsync(names.Decisions, Ct);
            var sent = (await decisions.WaitForAsync(_ => true, patience, Ct)).Json;
            Assert.Equal(("deny", "not now"), (sent.GetProperty("decision").GetString(), sent.GetProperty("comment").GetString()));
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }
}
