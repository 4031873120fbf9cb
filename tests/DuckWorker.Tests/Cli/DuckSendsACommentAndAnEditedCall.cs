using System.Text.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;

namespace DuckWorker.Tests.Cli;

/// <summary>
/// <c>duck approve --comment/--edit/--command</c>, <c>duck deny --comment</c> and the <c>e</c> key of
/// <c>approvals watch</c> send what the person said and changed; an edit the worker's policy blocks is refused
/// with exit code 2 and the reason, and nothing is sent.
/// </summary>
public sealed class DuckSendsACommentAndAnEditedCall(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Approval> WaitingAsync(WorkerHarness worker, string jobId, string message)
    {
        var result = await worker.RunAsync(message, workspace: "shared", jobId: jobId, reflect: false);
        Assert.Equal(AgentTaskStatus.WaitingForApproval, result.Status);
        return (await worker.Services.GetRequiredService<IApprovalStore>().FindPendingAsync(result.TaskId, Ct))!;
    }

    [Fact]
    public async Task ApproveAndDenySendTheCommentAndTheEditAndRefuseABlockedEdit()
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = chat => chat.Messages.Any(m => m.Content.Contains("please run", StringComparison.Ordinal)) ? Replies.Running(chat) : Replies.Writing(chat);
        worker.Workspace("shared");
        var names = broker.UniqueNames();
        var settings = new Dictionary<string, string?>(worker.Settings.Concat(names.Settings(broker.Uri!)));
        var shell = await WaitingAsync(worker, "shell", "please run touch made.txt");
        var file = await WaitingAsync(worker, "file", "please write a.txt");
        var denied = await WaitingAsync(worker, "denied", "please write b.txt");

        try
        {
            var blocked = await Duck.RunAsync(settings, "", "approve", shell.ApprovalId, "--command", "sudo rm -rf /");
            var wrongTool = await Duck.RunAsync(settings, "", "approve", file.ApprovalId, "--command", "ls");
            var notJson = await Duck.RunAsync(settings, "", "approve", file.ApprovalId, "--edit", "{content");

            var command = await Duck.RunAsync(settings, "", "approve", shell.ApprovalId, "--command", "touch other.txt", "--comment", "another name");
            var content = await Duck.RunAsync(settings, "", "approve", file.ApprovalId, "--forever", "--edit", """{"content": "by a person"}""");
            var deny = await Duck.RunAsync(settings, "", "deny", denied.ApprovalId, "--comment", "use out/ instead");

            Assert.Equal(2, blocked.Exit);
            Assert.Contains("The edited shell_exec_safe call is blocked by the policy", blocked.Errors, StringComparison.Ordinal);
            Assert.EndsWith("Nothing was sent.\n", blocked.Errors, StringComparison.Ordinal);
            Assert.Equal(2, wrongTool.Exit);
            Assert.Contains("--command edits a shell_exec_safe call", wrongTool.Errors, StringComparison.Ordinal);
            Assert.Equal(2, notJson.Exit);
            Assert.Contains("--edit is not JSON", notJson.Errors, StringComparison.Ordinal);
            Assert.Equal((0, $"Sent allow_once (edited) for approval {shell.ApprovalId}.\n"), (command.Exit, command.Output));
            Assert.Equal(0, content.Exit);
            Assert.Equal(0, deny.Exit);
            Assert.Equal(3u, await broker.MessageCountAsync(names.Decisions, Ct));

            await using var decisions = await broker.ConsumeAsync(names.Decisions, Ct);
            var sent = (await decisions.WaitForCountAsync(_ => true, 3, Patience, Ct)).Select(m => m.Json).ToDictionary(j => j.GetProperty("approvalId").GetString()!);
            Assert.Equal("touch other.txt", sent[shell.ApprovalId].GetProperty("editedArgs").GetProperty("command").GetString());
            Assert.Equal("another name", sent[shell.ApprovalId].GetProperty("comment").GetString());
            Assert.Equal(("allow_forever", "a.txt", "by a person"), (
                sent[file.ApprovalId].GetProperty("decision").GetString(),
                sent[file.ApprovalId].GetProperty("editedArgs").GetProperty("path").GetString(),
                sent[file.ApprovalId].GetProperty("editedArgs").GetProperty("content").GetString()));
            Assert.Equal(("deny", "use out/ instead", JsonValueKind.Null), (
                sent[denied.ApprovalId].GetProperty("decision").GetString(),
                sent[denied.ApprovalId].GetProperty("comment").GetString(),
                sent[denied.ApprovalId].GetProperty("editedArgs").ValueKind));
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    [Fact]
    public async Task WithRedirectedInputTheWatchTakesTheEditOrCommentAfterTheAnswer()
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = chat => chat.Messages.Any(m => m.Content.Contains("please run", StringComparison.Ordinal)) ? Replies.Running(chat) : Replies.Writing(chat);
        worker.Workspace("shared");
        var names = broker.UniqueNames();
        var settings = new Dictionary<string, string?>(worker.Settings.Concat(names.Settings(broker.Uri!)));
        var shell = await WaitingAsync(worker, "shell", "please run touch made.txt");
        var file = await WaitingAsync(worker, "file", "please write a.txt");

        try
        {
            // With nothing to answer, the watch ends, and has declared the inbox.
            Assert.Equal(0, (await Duck.RunAsync(settings, "", "approvals", "watch")).Exit);
            foreach (var approval in new[] { shell, file })
            {
                await broker.PublishAsync(
                    names.ApprovalsRequested,
                    JsonSerializer.Serialize(new { approvalId = approval.ApprovalId, taskId = approval.TaskId, tool = approval.Action.Tool }),
                    "duck.approval-requested.v1",
                    Ct);
            }

            // The blocked edit is refused and the same request asked again; then an edit the policy allows.
            var watch = await Duck.RunAsync(settings, "e sudo rm -rf /\ne touch Other.txt\nd Write It To out/ Instead\n", "approvals", "watch", "--decided-by", "watcher");

            Assert.True(watch.Exit == 0, watch.Errors);
            Assert.Contains("Refused: The edited shell_exec_safe call is blocked by the policy", watch.Errors, StringComparison.Ordinal);
            Assert.Contains("Sent allow_once (edited).", watch.Output, StringComparison.Ordinal);
            Assert.Contains("Sent deny.", watch.Output, StringComparison.Ordinal);
            await using var decisions = await broker.ConsumeAsync(names.Decisions, Ct);
            var sent = (await decisions.WaitForCountAsync(_ => true, 2, Patience, Ct)).Select(m => m.Json).ToDictionary(j => j.GetProperty("approvalId").GetString()!);
            Assert.Equal("touch Other.txt", sent[shell.ApprovalId].GetProperty("editedArgs").GetProperty("command").GetString());
            Assert.Equal("Write It To out/ Instead", sent[file.ApprovalId].GetProperty("comment").GetString());
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }
}
