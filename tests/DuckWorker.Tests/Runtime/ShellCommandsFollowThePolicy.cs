using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Runtime;

public sealed class ShellCommandsFollowThePolicy
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OllamaReply Shell(string command) =>
        OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command }, reason = "needed" });

    [Fact]
    public async Task AReadOnlyCommandRunsAtOnceAndIsAudited()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("ro", ("hello.txt", "hi"));
        worker.Ollama
            .Script(WorkerHarness.Action, Shell("ls -1 && cat hello.txt"), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("one file"))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("what is here", workspace: "ro", reflect: false);

        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal(
            [EventTypes.ToolCallStarted, EventTypes.CommandAudit, EventTypes.ToolCallFinished],
            events.Select(e => e.EventType).Where(t => t is EventTypes.ToolCallStarted or EventTypes.CommandAudit or EventTypes.ToolCallFinished));
        var audit = events.Single(e => e.EventType == EventTypes.CommandAudit).Payload;
        Assert.Equal(
            ["index", "tool", "command", "action_type", "risk_level", "requires_approval", "blocked", "approved", "ok", "returncode", "reason"],
            audit.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("ls -1 && cat hello.txt", "read", "low", false, false, false, true, 0), (
            audit.GetProperty("command").GetString(),
            audit.GetProperty("action_type").GetString(),
            audit.GetProperty("risk_level").GetString(),
            audit.GetProperty("requires_approval").GetBoolean(),
            audit.GetProperty("blocked").GetBoolean(),
            audit.GetProperty("approved").GetBoolean(),
            audit.GetProperty("ok").GetBoolean(),
            audit.GetProperty("returncode").GetInt32()));
        var output = events.Single(e => e.EventType == EventTypes.ToolCallFinished).Payload.GetProperty("result");
        Assert.Equal("hello.txt\nhi", output.GetProperty("output").GetString());
        Assert.True(output.GetProperty("metadata").GetProperty("durationMs").GetInt64() >= 0);
    }

    [Fact]
    public async Task ABlockedCommandNeverRunsEvenWithAnAllowForeverRuleForIt()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("blocked");
        const string command = "touch canary && sudo rm -rf /";
        var call = worker.Services.GetRequiredService<ToolGateway>().Prepare(new ToolAction("shell_exec_safe", new() { ["command"] = command }, null), new ToolContext("t", workspace));
        await worker.Services.GetRequiredService<IApprovalRuleStore>().AddAsync(new ApprovalRule(workspace, call.Assessment.Action, "forged", "mallory", DateTimeOffset.UtcNow), Ct);
        worker.Ollama
            .Script(WorkerHarness.Action, Shell(command), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("I may not do that."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("wipe the machine", workspace: "blocked", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        Assert.False(File.Exists(Path.Join(workspace, "canary")));
        var events = await worker.EventsAsync(result.TaskId);
        Assert.DoesNotContain(EventTypes.ToolApprovalRequested, events.Select(e => e.EventType));
        var audit = events.Single(e => e.EventType == EventTypes.CommandAudit).Payload;
        Assert.Equal(("privileged", "critical", true, false, false), (
            audit.GetProperty("action_type").GetString(),
            audit.GetProperty("risk_level").GetString(),
            audit.GetProperty("blocked").GetBoolean(),
            audit.GetProperty("approved").GetBoolean(),
            audit.GetProperty("ok").GetBoolean()));
        Assert.Contains("sudo", audit.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, audit.GetProperty("returncode").ValueKind);
        var blocked = await worker.Services.GetRequiredService<ToolGateway>().RunAsync(call, approved: true, Ct);
        Assert.False(blocked.Ok);
        Assert.False(File.Exists(Path.Join(workspace, "canary")));
    }

    [Fact]
    public async Task AWriteWaitsForApprovalRunsOnceAllowedAndAllowForeverCoversOnlyThatCommand()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var workspace = worker.Workspace("write");
        worker.Ollama.Fallback = chat => chat.Model switch
        {
            WorkerHarness.Thinker => OllamaReply.Text("done"),
            WorkerHarness.Memory => Replies.NothingToRemember,
            _ => OllamaReply.Actions(),
        };
        worker.Ollama.Script(WorkerHarness.Action, Shell("touch  made.txt"));

        var paused = await worker.RunAsync("make a file", workspace: "write", reflect: false);

        Assert.Equal(AgentTaskStatus.WaitingForApproval, paused.Status);
        Assert.False(File.Exists(Path.Join(workspace, "made.txt")));
        var events = await worker.EventsAsync(paused.TaskId);
        var audit = events.Single(e => e.EventType == EventTypes.CommandAudit).Payload;
        Assert.True(audit.GetProperty("requires_approval").GetBoolean());
        Assert.Equal("write", audit.GetProperty("action_type").GetString());
        var approvalId = events.Single(e => e.EventType == EventTypes.ToolApprovalRequested).Payload.GetProperty("approval_id").GetString()!;
        var approval = (await worker.Approvals.GetAsync(approvalId, Ct))!;
        Assert.Equal("touch made.txt", approval.NormalizedAction.Key);
        Assert.Contains("`touch made.txt`", approval.ForeverScope, StringComparison.Ordinal);

        await worker.Approvals.DecideAsync(approvalId, ApprovalDecision.AllowForever, "tester", null, Ct);
        var done = await worker.Loop.ContinueAfterApprovalAsync(paused.TaskId, approvalId, Ct);

        Assert.Equal(AgentTaskStatus.Completed, done.Status);
        Assert.True(File.Exists(Path.Join(workspace, "made.txt")));
        var audits = (await worker.EventsAsync(paused.TaskId)).Where(e => e.EventType == EventTypes.CommandAudit).Select(e => e.Payload).ToList();
        Assert.Equal((true, true, 0), (audits[^1].GetProperty("approved").GetBoolean(), audits[^1].GetProperty("ok").GetBoolean(), audits[^1].GetProperty("returncode").GetInt32()));

        worker.Ollama.Script(WorkerHarness.Action, Shell("touch made.txt"));
        var again = await worker.RunAsync("make it again", workspace: "write", reflect: false);
        worker.Ollama.Script(WorkerHarness.Action, Shell("touch other.txt"));
        var other = await worker.RunAsync("make another", workspace: "write", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, again.Status);
        var againAudit = (await worker.EventsAsync(again.TaskId)).Single(e => e.EventType == EventTypes.CommandAudit).Payload;
        Assert.Equal((true, true), (againAudit.GetProperty("approved").GetBoolean(), againAudit.GetProperty("ok").GetBoolean()));
        Assert.Equal(AgentTaskStatus.WaitingForApproval, other.Status);
    }
}
