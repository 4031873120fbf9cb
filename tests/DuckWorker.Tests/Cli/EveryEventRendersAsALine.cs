using System.Reflection;
using System.Text.Json;
using DuckWorker.Cli.Rendering;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Cli;

/// <summary>Each event type a task's log holds is one line that says what happened, not a dump of its payload.</summary>
public sealed class EveryEventRendersAsALine
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Payloads shaped as the runtime's <c>TaskJournal</c> writes them, and what the line must say.</summary>
    public static TheoryData<string, string, string> Events() => new()
    {
        { EventTypes.TaskCreated, """{"message": "hello duck", "workspace": null, "debug": false}""", "hello duck" },
        { EventTypes.ModelCallStarted, """{"role": "thinker"}""", "thinker" },
        { EventTypes.ActionDirective, """{"actions": [{"tool": "fs_read"}, {"tool": "fs_list"}]}""", "2 actions" },
        { EventTypes.ActionDirectiveFailed, """{"error": "not JSON"}""", "not JSON" },
        { EventTypes.ToolCallStarted, """{"index": 0, "tool": "fs_read", "args": {"path": "a.txt"}, "approval_id": "ap1"}""", """fs_read {"path":"a.txt"} (approval ap1)""" },
        { EventTypes.ToolCallFinished, """{"index": 0, "tool": "fs_read", "result": {"ok": true, "output": "x", "error": null, "metadata": {}}}""", "ok" },
        { EventTypes.ToolCallFinished, """{"index": 0, "tool": "shell_exec_safe", "result": {"ok": false, "output": null, "error": "Tool action denied by user.", "metadata": {"decision": "deny"}}}""", "denied" },
        { EventTypes.ToolCallFinished, """{"index": 0, "tool": "fs_read", "result": {"ok": false, "output": null, "error": "no such file", "metadata": {}}}""", "failed: no such file" },
        { EventTypes.CommandAudit, """{"index": 0, "tool": "shell_exec_safe", "command": "ls", "action_type": "read", "risk_level": "low", "requires_approval": false, "blocked": false, "approved": false, "ok": true, "returncode": 0, "reason": "reads"}""", "ls: ran, exit code 0 (low risk)" },
        { EventTypes.CommandAudit, """{"index": 0, "tool": "shell_exec_safe", "command": "touch a", "action_type": "write", "risk_level": "medium", "requires_approval": true, "blocked": false, "approved": false, "ok": false, "returncode": null, "reason": "writes"}""", "touch a: needs approval (medium risk)" },
        { EventTypes.CommandAudit, """{"index": 0, "tool": "shell_exec_safe", "command": "touch a", "action_type": "write", "risk_level": "medium", "requires_approval": false, "blocked": false, "approved": true, "ok": true, "returncode": 0, "reason": "writes"}""", "touch a: approved, ran, exit code 0 (medium risk)" },
        { EventTypes.CommandAudit, """{"index": 0, "tool": "shell_exec_safe", "command": "touch a", "action_type": null, "risk_level": null, "requires_approval": false, "blocked": false, "approved": false, "ok": false, "returncode": null, "reason": "Tool action denied by user."}""", "touch a: denied" },
        { EventTypes.CommandAudit, """{"index": 0, "tool": "shell_exec_safe", "command": "rm -rf /", "action_type": "destructive", "risk_level": "critical", "requires_approval": false, "blocked": true, "approved": false, "ok": false, "returncode": null, "reason": "destroys"}""", "rm -rf /: blocked (critical risk)" },
        { EventTypes.ToolApprovalRequested, """{"index": 0, "tool": "fs_write", "action": {}, "approval_id": "ap1", "reason": "writes a file"}""", "approval ap1: writes a file" },
        { EventTypes.TaskWaitingForApproval, """{"observations": [{"index": 0, "tool": "fs_write", "requires_approval": true, "approval_id": "ap1"}]}""", "waiting for approval ap1" },
        { EventTypes.CognitionResponse, """{"role": "thinker", "content": "I will read it", "reasoning_content": null}""", "I will read it" },
        { EventTypes.ModelCallFinished, """{"role": "thinker", "model": "qwen3", "latency_ms": 12, "prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7}""", "thinker qwen3, 12 ms, 7 tokens" },
        { EventTypes.TaskCompleted, """{"final_response": "done", "reasoning_content": null}""", "done" },
        { EventTypes.TaskFailed, """{"error": "the model failed"}""", "the model failed" },
        { EventTypes.TaskContinued, """{"approval_id": "ap1", "decision": "deny"}""", "deny (approval ap1)" },
        { EventTypes.TaskContinued, """{"approval_id": "ap1", "decision": "deny", "decided_by": "ann", "comment": "use the staging folder"}""", "deny (approval ap1): use the staging folder" },
        { EventTypes.ApprovalEdited, """{"approval_id": "ap1", "index": 1, "tool": "shell_exec_safe", "proposed": {"command": "rm -r build"}, "approved": {"command": "rm -r build/tmp"}, "decided_by": "ann"}""", "approval ap1: shell_exec_safe edited by ann to {\"command\":\"rm -r build/tmp\"}" },
        { EventTypes.MemoryPolicyDecision, """{"should_store": true, "summary": "ducks like peas", "scope": "global", "memory_type": "fact", "importance": 0.6, "metadata": {}}""", "store (global): ducks like peas" },
        { EventTypes.MemoryPolicyDecision, """{"should_store": false, "summary": "", "scope": "workspace", "memory_type": "fact", "importance": 0, "metadata": {}}""", "nothing to store" },
        { EventTypes.MemoryStored, """{"summary": "ducks like peas", "scope": "global", "memory_id": "m1", "merged": false, "similarity": null}""", "new (global): ducks like peas" },
        { EventTypes.MemoryPolicyFailed, """{"error": "bad JSON"}""", "bad JSON" },
        { EventTypes.ReflectionCompleted, """{"record_id": "r1", "summary": "Answered.", "reusable_lesson": null}""", "Answered." },
        { EventTypes.ReflectionFailed, """{"error": "critic down"}""", "critic down" },
        { EventTypes.ToolIterationLimitReached, """{"max_tool_iterations": 8}""", "stopped after 8 tool iterations" },
        { EventTypes.TaskResumed, """{"reason": "An earlier run of this task stopped before it finished.", "observations": 1}""", "An earlier run of this task stopped before it finished." },
        { EventTypes.ApprovalDecisionRejected, """{"approval_id": "ap1", "decision": "allow_once", "decided_by": "bob", "reason": "already decided"}""", "allow_once by bob rejected: already decided" },
        { EventTypes.MemoryRecalled, """{"memories": [{"memory_id": "m1", "scope": "global", "score": 0.9}], "lessons": [], "fallback": false}""", "1 memories, 0 lessons" },
        { EventTypes.EmbeddingFailed, """{"kind": "memory", "id": "m1", "error": "no model"}""", "memory m1: no model" },
        { EventTypes.ModelUnavailable, """{"role": "thinker", "model": "qwen3", "attempt": 2, "delay": 10, "reason": "connection refused"}""", "thinker qwen3, attempt 2: connection refused; next attempt in 10 s" },
        { EventTypes.ModelUnavailable, """{"role": "thinker", "model": "qwen3", "attempt": 3, "delay": null, "reason": "connection refused"}""", "thinker qwen3, attempt 3: connection refused; no attempt left" },
        { EventTypes.TaskCancelRequested, """{"by": "alice", "reason": "not needed"}""", "by alice: not needed" },
        { EventTypes.TaskCancelled, """{"by": "alice", "reason": null}""", "by alice" },
        { EventTypes.TaskRetried, """{"new_task_id": "t2", "new_job_id": "j1#retry-1", "by": "bob"}""", "runs again as task t2 (job j1#retry-1), by bob" },
        { EventTypes.ApprovalExpired, """{"approval_id": "ap1", "tool": "fs_write", "requested_at": "2026-12-07T10:00:00+00:00", "timeout_seconds": 3600}""", "approval ap1 (fs_write) undecided after 3600 s" },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void TheLineSaysWhatHappened(string eventType, string payload, string expected)
    {
        using var json = JsonDocument.Parse(payload);

        var line = EventLine.Of(7, eventType, json.RootElement);

        Assert.Equal($"   7  {eventType,-26} {expected}", line);
    }

    [Fact]
    public void EveryEventTypeOfTheRuntimeHasALineOfItsOwn()
    {
        var types = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);

        Assert.Empty(types.Except(Events().Select(row => (string)row.Data.Item1)));
    }

    [Fact]
    public async Task ADeniedCommandIsShownDeniedNotRun()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Action && !chat.Messages.Any(m => m.Content.StartsWith("tool_observations", StringComparison.Ordinal))
            ? OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command = "touch notes.md" }, reason = "the user asked" })
            : Replies.Answering(chat);
        worker.Workspace("shared");
        var waiting = await worker.RunAsync("please touch notes.md", workspace: "shared", reflect: false);
        var approval = (await worker.Services.GetRequiredService<IApprovalStore>().FindPendingAsync(waiting.TaskId, Ct))!;
        await worker.Approvals.DecideAsync(approval.ApprovalId, ApprovalDecision.Deny, "ci", waiting.TaskId, Ct);
        await worker.Loop.ContinueAfterApprovalAsync(waiting.TaskId, approval.ApprovalId, Ct);

        var (exit, output, _) = await Duck.RunAsync(worker, "tasks", "events", waiting.TaskId);

        Assert.Equal(0, exit);
        var audits = output.Split('\n').Where(l => l.Contains(EventTypes.CommandAudit, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, audits.Count);
        Assert.EndsWith("touch notes.md: needs approval (medium risk)", audits[0], StringComparison.Ordinal);
        Assert.EndsWith("touch notes.md: denied", audits[1], StringComparison.Ordinal);
        Assert.Matches(@"tool_call_finished\s+denied", output);
    }
}
