using System.Text.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Runtime;

/// <summary>
/// An action the policy blocks is reported as blocked, not as a mere failure (issue 13), so the answer can
/// tell the person it was refused on purpose.
/// </summary>
public sealed class BlockedActionsAreReportedAsBlocked
{
    [Fact]
    public async Task TheThinkerSeesThatThePolicyRefusedTheCommandAndTheEventSaysBlocked()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Workspace("refused");
        worker.Ollama
            .Script(
                WorkerHarness.Action,
                OllamaReply.Actions(
                    new { tool = "shell_exec_safe", args = new { command = "rm -rf /" }, reason = "clean up" },
                    new { tool = "fs_read", args = new { path = "missing.txt" }, reason = "look" }),
                OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("The policy refused to delete everything."))
            .Script(WorkerHarness.Memory, Replies.NothingToRemember);

        var result = await worker.RunAsync("wipe it all", workspace: "refused", reflect: false);

        Assert.Equal(AgentTaskStatus.Completed, result.Status);
        var events = await worker.EventsAsync(result.TaskId);
        var reason = events.Single(e => e.EventType == EventTypes.CommandAudit).Payload.GetProperty("reason").GetString()!;
        var finished = events.Where(e => e.EventType == EventTypes.ToolCallFinished).Select(e => e.Payload).ToList();
        Assert.Equal(["index", "tool", "result"], finished[0].EnumerateObject().Select(p => p.Name));
        var blocked = finished[0].GetProperty("result");
        Assert.Equal(["ok", "output", "error", "metadata", "blocked"], blocked.EnumerateObject().Select(p => p.Name));
        Assert.Equal((false, true, true, reason), (
            blocked.GetProperty("ok").GetBoolean(),
            blocked.GetProperty("blocked").GetBoolean(),
            blocked.GetProperty("metadata").GetProperty("blocked").GetBoolean(),
            blocked.GetProperty("error").GetString()));
        Assert.False(finished[1].GetProperty("result").TryGetProperty("blocked", out _), "a failure that was not blocked says nothing of the kind");

        var thinker = worker.Ollama.Chats.Single(c => c.Model == WorkerHarness.Thinker);
        var observations = JsonDocument.Parse(thinker.Messages[^1].Content["tool_observations:\n".Length..]).RootElement;
        var observed = observations[0];
        Assert.Equal((true, "blocked_by_policy", false), (
            observed.GetProperty("blocked").GetBoolean(),
            observed.GetProperty("status").GetString(),
            observed.GetProperty("ok").GetBoolean()));
        Assert.Equal($"Blocked by the command policy: {reason.TrimEnd('.', ' ')}; it did not run and cannot be approved.", observed.GetProperty("error").GetString());
        Assert.False(observations[1].TryGetProperty("blocked", out _));
        Assert.Contains("\"blocked\":true", thinker.Messages[^1].Content, StringComparison.Ordinal);
        Assert.Contains(thinker.Messages, m => m.Role == "system" && m.Content.Contains("refused on purpose by the command policy", StringComparison.Ordinal));
    }
}
