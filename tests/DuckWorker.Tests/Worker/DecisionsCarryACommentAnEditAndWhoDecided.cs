using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Tests.Contracts;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// A decision says more than allow or deny: a denial's comment reaches the thinker's prompt, an edited call is
/// judged again by the policy (a blocked edit is refused and the approval still waits) and is what runs, and
/// who decided is the broker's user when the message carries one, limited by <c>Approvals:AllowedApprovers</c>.
/// </summary>
public sealed class DecisionsCarryACommentAnEditAndWhoDecided(BrokerFixture broker)
{
    private const string DecisionType = "duck.approval-decision.v1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Job(string jobId, string message) =>
        JsonSerializer.Serialize(new { jobId, message, workspace = "shared", reflect = false });

    private static string ThinkerPrompt(WorkerHarness worker, string taskMessage) =>
        string.Join('\n', worker.Ollama.Chats.Last(c => c.Model == WorkerHarness.Thinker && c.Messages.Any(m => m.Content.Contains(taskMessage, StringComparison.Ordinal))).Messages.Select(m => m.Content));

    [Fact]
    public async Task ADenialsCommentReachesTheThinkersPrompt()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, Job("denied", "please write build.txt"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var approvalId = request.GetProperty("approvalId").GetString()!;
        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId, decision = "deny", decidedBy = "ann", comment = "write it to out/report.txt instead" }),
            DecisionType,
            Ct);
        var done = (await finished.WaitForAsync(_ => true, Patience, Ct)).Json;

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Join(workspace, "build.txt")));
        Assert.Contains("denied: write it to out/report.txt instead", ThinkerPrompt(worker, "please write build.txt"), StringComparison.Ordinal);
        var taskId = request.GetProperty("taskId").GetString()!;
        var continued = (await worker.EventsAsync(taskId)).Single(e => e.EventType == EventTypes.TaskContinued).Payload;
        Assert.Equal(("deny", "ann", "write it to out/report.txt instead"), (continued.GetProperty("decision").GetString(), continued.GetProperty("decided_by").GetString(), continued.GetProperty("comment").GetString()));
        var stored = (await worker.Approvals.GetAsync(approvalId, Ct))!;
        Assert.Equal(("write it to out/report.txt instead", null), (stored.Comment, stored.EditedArgs));
    }

    [Fact]
    public async Task AnEditedCallIsWhatRunsAndTheLogShowsWhatWasProposedAndApproved()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, Job("edited", "please write notes.txt"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var approvalId = request.GetProperty("approvalId").GetString()!;
        var taskId = request.GetProperty("taskId").GetString()!;
        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "ann", comment = "kinder words", editedArgs = new { path = "notes.txt", content = "edited by a person" } }),
            DecisionType,
            Ct);
        var done = (await finished.WaitForAsync(_ => true, Patience, Ct)).Json;

        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("edited by a person", await File.ReadAllTextAsync(Path.Join(workspace, "notes.txt"), Ct));
        var events = await worker.EventsAsync(taskId);
        var edited = events.Single(e => e.EventType == EventTypes.ApprovalEdited).Payload;
        Assert.Equal("written by duck", edited.GetProperty("proposed").GetProperty("content").GetString());
        Assert.Equal("edited by a person", edited.GetProperty("approved").GetProperty("content").GetString());
        Assert.Equal(("fs_write", "ann", approvalId), (edited.GetProperty("tool").GetString(), edited.GetProperty("decided_by").GetString(), edited.GetProperty("approval_id").GetString()));
        foreach (var entry in events.Where(e => e.EventType is EventTypes.ApprovalEdited or EventTypes.TaskContinued))
        {
            ContractSchemas.AssertValid(MessageTypes.TaskEvent, JsonSerializer.Serialize(new { taskId, seq = entry.Seq, eventType = entry.EventType, payload = entry.Payload, at = entry.At }));
        }

        var started = events.Last(e => e.EventType == EventTypes.ToolCallStarted).Payload;
        Assert.Equal("edited by a person", started.GetProperty("args").GetProperty("content").GetString());
        var stored = (await worker.Approvals.GetAsync(approvalId, Ct))!;
        Assert.Equal(("kinder words", "edited by a person"), (stored.Comment, stored.EditedArgs?["content"]?.GetValue<string>()));
        Assert.Contains("kinder words", ThinkerPrompt(worker, "please write notes.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowForeverWithAnEditMakesTheRuleForTheEditedCall()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, Job("forever", "please write draft.txt"), "duck.chat.v1", Ct);
        var approvalId = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json.GetProperty("approvalId").GetString()!;
        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId, decision = "allow_forever", decidedBy = "ann", editedArgs = new { path = "final.txt", content = "x" } }),
            DecisionType,
            Ct);
        await finished.WaitForAsync(m => m.CorrelationId == "forever", Patience, Ct);

        var rule = Assert.Single(await worker.Services.GetRequiredService<IApprovalRuleStore>().ListAsync(Ct));
        Assert.Equal(("fs_write", "final.txt"), (rule.Action.Tool, rule.Action.Key));
        Assert.True(File.Exists(Path.Join(workspace, "final.txt")));
        Assert.False(File.Exists(Path.Join(workspace, "draft.txt")));
    }

    [Fact]
    public async Task ABlockedEditIsRefusedAndTheApprovalStillWaits()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Running;
        worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await using var dead = await broker.ConsumeAsync(worker.Names.Dead, Ct);

        await broker.PublishAsync(worker.Names.Jobs, Job("blocked-edit", "please run touch made.txt"), "duck.chat.v1", Ct);
        var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
        var approvalId = request.GetProperty("approvalId").GetString()!;
        var taskId = request.GetProperty("taskId").GetString()!;
        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "ann", editedArgs = new { command = "sudo rm -rf /\necho forged" } }),
            DecisionType,
            Ct);
        var refused = await dead.WaitForAsync(_ => true, Patience, Ct);

        Assert.Contains("The edited shell_exec_safe call is blocked by the policy", refused.Headers["x-duck-reason"], StringComparison.Ordinal);
        Assert.Contains($"Approval '{approvalId}' still waits for a decision.", refused.Headers["x-duck-reason"], StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Headers["x-duck-reason"]);
        Assert.True((await worker.Approvals.GetAsync(approvalId, Ct))!.IsPending);
        Assert.Contains(EventTypes.ApprovalDecisionRejected, await worker.EventTypesAsync(taskId));

        // A person decides again, and that decision applies.
        await broker.PublishAsync(
            worker.Names.Decisions,
            JsonSerializer.Serialize(new { approvalId, decision = "deny", decidedBy = "ann", comment = "not now" }),
            DecisionType,
            Ct);
        var done = (await finished.WaitForAsync(_ => true, Patience, Ct)).Json;
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.DoesNotContain(EventTypes.ApprovalEdited, await worker.EventTypesAsync(taskId));
    }

    [Fact]
    public async Task MalformedCommentsAndEditsAreDeadLetteredWithTheReason()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var dead = await broker.ConsumeAsync(worker.Names.Dead, Ct);
        await broker.PublishAsync(worker.Names.Jobs, Job("malformed", "please write m.txt"), "duck.chat.v1", Ct);
        var approvalId = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json.GetProperty("approvalId").GetString()!;

        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "deny", decidedBy = "ann", editedArgs = new { path = "m.txt", content = "y" } }), DecisionType, Ct);
        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "deny", decidedBy = "ann", comment = new string('x', 2001) }), DecisionType, Ct);
        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "deny", decidedBy = "ann", comment = "a\u001b[31mred" }), DecisionType, Ct);
        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "ann", editedArgs = new { path = "../outside.txt", content = "y" } }), DecisionType, Ct);

        var reasons = (await dead.WaitForCountAsync(_ => true, 4, Patience, Ct)).Select(m => m.Headers["x-duck-reason"]).ToList();
        Assert.Contains(reasons, r => r.Contains("editedArgs go only with allow_once or allow_forever, not with deny.", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("comment has 2001 characters; at most 2000 are allowed.", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("comment holds a character that is not printable", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("The edited fs_write call is not valid", StringComparison.Ordinal));
        Assert.True((await worker.Approvals.GetAsync(approvalId, Ct))!.IsPending);
    }

    [Fact]
    public async Task TheBrokersUserIsWhoDecidedAndOnlyAllowedApproversDecide()
    {
        broker.SkipIfUnavailable();
        var user = broker.Uri!.UserInfo.Split(':')[0];
        await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?> { ["Approvals:AllowedApprovers:0"] = user, ["Approvals:AllowedApprovers:1"] = "ann" });
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");
        await using var dead = await broker.ConsumeAsync(worker.Names.Dead, Ct);
        await broker.PublishAsync(worker.Names.Jobs, Job("who", "please write who.txt"), "duck.chat.v1", Ct);
        var approvalId = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json.GetProperty("approvalId").GetString()!;

        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "ann" }), DecisionType, Ct, userId: user);
        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "mallory" }), DecisionType, Ct);
        var reasons = (await dead.WaitForCountAsync(_ => true, 2, Patience, Ct)).Select(m => m.Headers["x-duck-reason"]).ToList();
        Assert.Contains(reasons, r => r.Contains($"decidedBy \"ann\" is not the broker user that sent it (\"{user}\", its AMQP user_id)", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains($"Decision for approval '{approvalId}' by 'mallory' refused: 'mallory' is not in Approvals:AllowedApprovers.", StringComparison.Ordinal));
        Assert.True((await worker.Approvals.GetAsync(approvalId, Ct))!.IsPending);

        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = user }), DecisionType, Ct, userId: user);
        Assert.Equal("completed", (await finished.WaitForAsync(_ => true, Patience, Ct)).Json.GetProperty("status").GetString());
        Assert.Equal(user, (await worker.Approvals.GetAsync(approvalId, Ct))!.DecidedBy);
    }
}
