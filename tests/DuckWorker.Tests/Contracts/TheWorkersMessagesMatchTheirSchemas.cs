using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;
using DuckWorker.Runtime.Loop;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Contracts;

/// <summary>
/// What the worker really puts on the broker, through a job that waits for an approval, is decided and
/// finishes, matches the JSON Schemas of <c>docs/schemas/</c> that other programs are told to rely on.
/// </summary>
public sealed class TheWorkersMessagesMatchTheirSchemas(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The action model lists the files with <c>ls</c>, then writes haiku.txt (which needs approval), then is done.</summary>
    private static OllamaReply Script(RecordedChat chat)
    {
        if (chat.Model != WorkerHarness.Action)
        {
            return Replies.Answering(chat);
        }

        var observations = chat.Messages.Where(m => m.Content.StartsWith("tool_observations", StringComparison.Ordinal)).ToList();
        return observations.Count == 0
            ? OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command = "ls" }, reason = "to see the files" })
            : !observations.Any(m => m.Content.Contains("haiku.txt", StringComparison.Ordinal))
                ? OllamaReply.Actions(new { tool = "fs_write", args = new { path = "haiku.txt", content = "quack" }, reason = "the user asked" })
                : OllamaReply.Actions();
    }

    [Fact]
    public async Task AJobThroughApprovalToItsOutcomeSpeaksTheDocumentedMessages()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Script;
        worker.Workspace("contracts", ("notes.txt", "quack"));
        await using var announced = await broker.InboxAsync(worker.Names.Events, Ct, "#");

        var job = JsonSerializer.Serialize(new
        {
            jobId = "contract-1",
            message = "list the files, then write haiku.txt",
            workspace = "contracts",
            reasoning = "off",
            history = new[] { new { role = "user", content = "hello" }, new { role = "assistant", content = "hi" } },
        });
        ContractSchemas.AssertValid(MessageTypes.Chat, job);
        await broker.PublishAsync(worker.Names.Jobs, job, MessageTypes.Chat, Ct);
        var request = await announced.WaitForAsync(m => m.RoutingKey == RoutingKeys.ApprovalRequested, Patience, Ct);
        var approvalId = request.Json.GetProperty("approvalId").GetString()!;
        var taskId = request.Json.GetProperty("taskId").GetString()!;

        var decision = JsonSerializer.Serialize(new { approvalId, decision = "allow_once", decidedBy = "contract-test", taskId });
        ContractSchemas.AssertValid(MessageTypes.ApprovalDecision, decision);
        await broker.PublishAsync(worker.Names.Decisions, decision, MessageTypes.ApprovalDecision, Ct);
        var finished = await announced.WaitForAsync(m => m.RoutingKey == RoutingKeys.TaskCompleted, Patience, Ct);

        // A second, different decision is refused, and the refusal is an event of the task too.
        await broker.PublishAsync(worker.Names.Decisions, JsonSerializer.Serialize(new { approvalId, decision = "deny", decidedBy = "latecomer" }), MessageTypes.ApprovalDecision, Ct);
        await announced.WaitForAsync(m => m.RoutingKey == RoutingKeys.TaskEventPrefix + EventTypes.ApprovalDecisionRejected, Patience, Ct);
        var stored = await worker.EventsAsync(taskId);
        await announced.WaitForCountAsync(m => m.Type == MessageTypes.TaskEvent, stored.Count, Patience, Ct);

        Assert.Equal("completed", finished.Json.GetProperty("status").GetString());
        foreach (var message in announced.Received)
        {
            Assert.True(message.Type is not null && ContractSchemas.Files.ContainsKey(message.Type), $"{message.RoutingKey} has the undocumented type '{message.Type}'.");
            Assert.Equal(("application/json", true, "contract-1"), (message.ContentType, message.Persistent, message.CorrelationId));
            Assert.False(string.IsNullOrEmpty(message.MessageId), $"{message.RoutingKey} has no message_id.");
            ContractSchemas.AssertValid(message.Type!, message.Body);
        }

        var announcedTypes = announced.Received.Where(m => m.Type == MessageTypes.TaskEvent).Select(m => m.RoutingKey).ToHashSet();
        string[] expected =
        [
            EventTypes.TaskCreated, EventTypes.ModelCallStarted, EventTypes.ActionDirective, EventTypes.ToolCallStarted,
            EventTypes.CommandAudit, EventTypes.ToolCallFinished, EventTypes.ToolApprovalRequested, EventTypes.TaskWaitingForApproval,
            EventTypes.TaskContinued, EventTypes.CognitionResponse, EventTypes.ModelCallFinished, EventTypes.TaskCompleted,
            EventTypes.ApprovalDecisionRejected,
        ];
        Assert.Empty(expected.Select(t => RoutingKeys.TaskEventPrefix + t).Except(announcedTypes));

        // The stored log is the record the announcements are a view of: every stored event fits the schema too.
        foreach (var entry in stored)
        {
            ContractSchemas.AssertValid(MessageTypes.TaskEvent, JsonSerializer.Serialize(new TaskEventV1(entry.TaskId, entry.Seq, entry.EventType, entry.Payload, entry.At), ContractJson.Options));
        }

        // The continuation the worker put into the jobs queue, as its publisher serializes it.
        var continued = stored.Single(e => e.EventType == EventTypes.TaskContinued);
        Assert.Equal(approvalId, continued.Payload.GetProperty("approval_id").GetString());
        ContractSchemas.AssertValid(MessageTypes.Continue, JsonSerializer.Serialize(new ContinueJobV1("contract-1", taskId, approvalId), ContractJson.Options));
    }

    [Fact]
    public async Task AFailedTaskSpeaksTheDocumentedMessages()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        await using var announced = await broker.InboxAsync(worker.Names.Events, Ct, "#");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "outside-1", "message": "hello", "workspace": "/etc"}""", MessageTypes.Chat, Ct);
        var outcome = await announced.WaitForAsync(m => m.RoutingKey == RoutingKeys.TaskFailed, Patience, Ct);
        var stored = await worker.EventsAsync(outcome.Json.GetProperty("taskId").GetString()!);
        await announced.WaitForCountAsync(m => m.Type == MessageTypes.TaskEvent, stored.Count, Patience, Ct);

        Assert.Contains(announced.Received, m => m.RoutingKey == RoutingKeys.TaskEventPrefix + EventTypes.TaskFailed);
        Assert.All(announced.Received, m => ContractSchemas.AssertValid(m.Type!, m.Body));
    }

    [Fact]
    public async Task ARefusedJobsOutcomeHasNoTaskAndStillMatches()
    {
        await using var worker = await WorkerHarness.RunAsync(broker);
        await using var failed = await broker.InboxAsync(worker.Names.Events, Ct, RoutingKeys.TaskFailed);
        var job = """{"jobId": "refused-1", "message": "hello", "reasoning": "maybe"}""";
        Assert.NotEmpty(ContractSchemas.Errors(MessageTypes.Chat, job));

        await broker.PublishAsync(worker.Names.Jobs, job, MessageTypes.Chat, Ct);
        var outcome = await failed.WaitForAsync(_ => true, Patience, Ct);

        Assert.Equal(JsonValueKind.Null, outcome.Json.GetProperty("taskId").ValueKind);
        Assert.Contains("reasoning", outcome.Json.GetProperty("finalResponse").GetString(), StringComparison.Ordinal);
        ContractSchemas.AssertValid(outcome.Type!, outcome.Body);
    }
}
