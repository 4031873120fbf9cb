using DuckWorker.RabbitMq.Contracts;

namespace DuckWorker.Tests.Contracts;

/// <summary>The schemas are no rubber stamp: what the worker refuses, they refuse, at the field that is wrong.</summary>
public sealed class InvalidMessagesFailTheirSchemas
{
    [Theory]
    [InlineData(MessageTypes.Chat, """{"message": "no job id"}""", "jobId")]
    [InlineData(MessageTypes.Chat, """{"jobId": "j", "message": "hi", "reasoning": "maybe"}""", "/reasoning")]
    [InlineData(MessageTypes.Chat, """{"jobId": "j", "message": "hi", "history": [{"role": "system", "content": "x"}]}""", "/history/0/role")]
    [InlineData(MessageTypes.Chat, """{"jobId": "   ", "message": "hi"}""", "/jobId")]
    [InlineData(MessageTypes.Chat, """{"jobId": "a\u0007b", "message": "hi"}""", "/jobId")]
    [InlineData(MessageTypes.Continue, """{"jobId": "j", "taskId": "t"}""", "approvalId")]
    [InlineData(MessageTypes.ApprovalDecision, """{"approvalId": "a", "decision": "maybe", "decidedBy": "me"}""", "/decision")]
    [InlineData(MessageTypes.ApprovalDecision, """{"approvalId": "a", "decision": "deny"}""", "decidedBy")]
    [InlineData(MessageTypes.ApprovalDecision, """{"approvalId": "a", "decision": "deny", "decidedBy": "me", "editedArgs": {"command": "ls"}}""", "/decision")]
    [InlineData(MessageTypes.ApprovalDecision, """{"approvalId": "a", "decision": "allow_once", "decidedBy": "me", "editedArgs": "ls"}""", "/editedArgs")]
    [InlineData(MessageTypes.ApprovalDecision, """{"approvalId": "a", "decision": "deny", "decidedBy": "me", "comment": "a\u001bb"}""", "/comment")]
    [InlineData(MessageTypes.ApprovalRequested, """{"taskId": "t", "jobId": "j", "approvalId": "a", "tool": "fs_write", "action": {"tool": "fs_write", "args": {}, "reason": null}, "reason": "r", "riskLevel": "extreme", "foreverScope": "f"}""", "/riskLevel")]
    [InlineData(MessageTypes.TaskFinished, """{"taskId": "t", "jobId": "j", "status": "done", "finalResponse": "x", "reasoningContent": null}""", "/status")]
    [InlineData(MessageTypes.TaskEvent, """{"taskId": "t", "seq": 0, "eventType": "task_failed", "payload": {"error": "e"}, "at": "2026-12-07T10:00:00+00:00"}""", "/seq")]
    [InlineData(MessageTypes.TaskEvent, """{"taskId": "t", "seq": 1, "eventType": "task_failed", "payload": {"reason": "e"}, "at": "2026-12-07T10:00:00+00:00"}""", "/payload")]
    [InlineData(MessageTypes.TaskEvent, """{"taskId": "t", "seq": 1, "eventType": "task_continued", "payload": {"approval_id": "a", "decision": "later"}, "at": "2026-12-07T10:00:00+00:00"}""", "/payload/decision")]
    [InlineData(MessageTypes.TaskEvent, """{"taskId": "t", "seq": 1, "eventType": "task_failed", "payload": {"error": "e"}, "at": "yesterday"}""", "/at")]
    public void AMessageTheContractForbidsIsInvalidWhereItIsWrong(string type, string json, string where)
    {
        var errors = ContractSchemas.Errors(type, json);

        Assert.True(errors.Any(e => e.Contains(where, StringComparison.Ordinal)), $"{type} {json} should fail at {where}; errors: {string.Join(" | ", errors)}");
    }

    [Fact]
    public void AnEventTypeAddedLaterIsAcceptedWithAnyPayload()
    {
        Assert.Empty(ContractSchemas.Errors(MessageTypes.TaskEvent, """{"taskId": "t", "seq": 3, "eventType": "something_new", "payload": {"anything": [1]}, "at": "2026-12-07T10:00:00.123+00:00"}"""));
    }
}
