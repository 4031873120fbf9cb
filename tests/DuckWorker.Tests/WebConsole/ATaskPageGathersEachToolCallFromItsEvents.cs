using System.Text.Json;
using DuckWorker.Cli.WebConsole.Tasks;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Tests.WebConsole;

/// <summary>A task page's tool calls are built from the events that share a call's index, whatever came between them.</summary>
public sealed class ATaskPageGathersEachToolCallFromItsEvents
{
    private static TaskEvent Event(long seq, string type, object payload) =>
        new("t1", seq, type, JsonSerializer.SerializeToElement(payload), DateTimeOffset.UnixEpoch.AddSeconds(seq));

    [Fact]
    public void ACallThatWaitedForApprovalKeepsItsRequestAuditAndResult()
    {
        var events = new[]
        {
            Event(1, EventTypes.ToolCallStarted, new { index = 1, tool = "fs_list", args = new { path = "." } }),
            Event(2, EventTypes.ToolCallFinished, new { index = 1, tool = "fs_list", result = new { ok = true, output = "a.txt", error = (string?)null, metadata = new { } } }),
            Event(3, EventTypes.CommandAudit, new { index = 2, tool = "shell_exec_safe", command = "rm a.txt", requires_approval = true, risk_level = "high" }),
            Event(4, EventTypes.ToolApprovalRequested, new { index = 2, tool = "shell_exec_safe", action = new { tool = "shell_exec_safe", args = new { command = "rm a.txt" } }, approval_id = "ap-1", reason = "deletes a file" }),
            Event(5, EventTypes.TaskWaitingForApproval, new { observations = Array.Empty<object>() }),
            Event(6, EventTypes.ToolCallStarted, new { index = 2, tool = "shell_exec_safe", args = new { command = "rm a.txt" }, approval_id = "ap-1" }),
            Event(7, EventTypes.CommandAudit, new { index = 2, tool = "shell_exec_safe", command = "rm a.txt", approved = true, returncode = 0, risk_level = "high" }),
            Event(8, EventTypes.ToolCallFinished, new { index = 2, tool = "shell_exec_safe", result = new { ok = false, output = "", error = "exit code 1", metadata = new { } } }),
        };

        var calls = ToolCall.From(events);

        Assert.Equal([1L, 2L], calls.Select(c => c.Index));
        Assert.Equal(("fs_list", "a.txt", null), (calls[0].Tool, calls[0].Result!.Value.GetProperty("output").GetString(), calls[0].ApprovalId));
        var approved = calls[1];
        Assert.Equal(("shell_exec_safe", "ap-1", "deletes a file"), (approved.Tool, approved.ApprovalId, approved.ApprovalReason));
        Assert.Equal("rm a.txt", approved.Args.GetProperty("command").GetString());
        Assert.Equal(2, approved.Audits.Count);
        Assert.Equal("exit code 1", approved.Result!.Value.GetProperty("error").GetString());
    }

    [Fact]
    public void ACallStillWaitingShowsWhatWouldRunAndNoResult()
    {
        var calls = ToolCall.From([
            Event(1, EventTypes.ToolApprovalRequested, new { index = 1, tool = "fs_write", action = new { tool = "fs_write", args = new { path = "b.txt", content = "hi" } }, approval_id = "ap-2", reason = "writes a file" }),
        ]);

        var waiting = Assert.Single(calls);
        Assert.Equal(("fs_write", "b.txt", "ap-2"), (waiting.Tool, waiting.Args.GetProperty("path").GetString(), waiting.ApprovalId));
        Assert.Null(waiting.Result);
    }
}
