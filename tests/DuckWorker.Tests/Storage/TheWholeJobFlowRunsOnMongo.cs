using System.Text.Json;
using DuckWorker.Mongo;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Mongo;

namespace DuckWorker.Tests.Storage;

/// <summary>The worker with <c>Storage:Provider = mongo</c> on a real MongoDB: a job that waits for an approval, then resumes.</summary>
public sealed class TheWholeJobFlowRunsOnMongo(BrokerFixture broker, MongoServer mongo) : IClassFixture<MongoServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AJobPausesForApprovalAndCompletesWithItsLogInMongo()
    {
        if (mongo.UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var database = $"duck_flow_{Guid.NewGuid():N}";
        try
        {
            await using var worker = await WorkerHarness.RunAsync(broker, new Dictionary<string, string?>
            {
                ["Storage:Provider"] = "mongo",
                ["Mongo:ConnectionString"] = mongo.ConnectionString,
                ["Mongo:Database"] = database,
            });
            worker.Ollama.Fallback = Replies.Writing;
            var workspace = worker.Workspace("shared");
            await using var approvals = await broker.InboxAsync(worker.Names.Events, Ct, "approval.requested");
            await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

            await broker.PublishAsync(worker.Names.Jobs, JsonSerializer.Serialize(new { jobId = "mongo-job", message = "please write m.txt", workspace = "shared", reflect = false }), "duck.chat.v1", Ct);
            var request = (await approvals.WaitForAsync(_ => true, Patience, Ct)).Json;
            var taskId = request.GetProperty("taskId").GetString()!;
            Assert.IsType<MongoTaskStore>(worker.Tasks);
            Assert.Equal(AgentTaskStatus.WaitingForApproval, (await worker.Tasks.GetAsync(taskId, Ct))!.Status);

            await broker.PublishAsync(
                worker.Names.Decisions,
                JsonSerializer.Serialize(new { approvalId = request.GetProperty("approvalId").GetString(), decision = "allow_once", decidedBy = "tester" }),
                "duck.approval-decision.v1",
                Ct);
            var done = (await finished.WaitForAsync(_ => true, Patience, Ct)).Json;

            Assert.Equal(("completed", taskId), (done.GetProperty("status").GetString(), done.GetProperty("taskId").GetString()));
            Assert.True(File.Exists(Path.Join(workspace, "m.txt")));
            var events = await worker.EventsAsync(taskId);
            Assert.Equal(Enumerable.Range(1, events.Count).Select(n => (long)n), events.Select(e => e.Seq));
            Assert.Contains(events, e => e.EventType == EventTypes.TaskWaitingForApproval);
            Assert.Contains(events, e => e.EventType == EventTypes.TaskContinued);
            Assert.Contains(events, e => e.EventType == EventTypes.TaskCompleted);
        }
        finally
        {
            await mongo.DropDatabaseAsync(database);
        }
    }
}
