using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Tests.Embeddings;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Tests.Worker;

/// <summary>
/// A job without a workspace works in a new folder no later job shares; what it learns must not be tied to
/// that folder, or it is never recalled.
/// </summary>
public sealed class JobsWithoutAWorkspaceShareWhatTheyLearn(BrokerFixture broker)
{
    private const string Fact = "the ducks sleep in the blue shed near the pond";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static bool Is(ReceivedMessage message, string jobId) => message.Json.GetProperty("jobId").GetString() == jobId;

    [Theory]
    [MemberData(nameof(BothEmbedders.Names), MemberType = typeof(BothEmbedders))]
    public async Task ASecondJobRecallsWhatTheFirstLearned(string embedder)
    {
        await using var worker = await WorkerHarness.RunAsync(broker, BothEmbedders.With(embedder, new Dictionary<string, string?> { ["Memory:MinScore"] = "0.3" }));
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Memory && chat.Messages.Any(m => m.Content.Contains("where do the ducks", StringComparison.Ordinal))

            // Models often answer "workspace" for what they learned; without a workspace that scope would lose it.
            ? Replies.Remember(Fact)
            : Replies.Answering(chat);
        await using var finished = await broker.InboxAsync(worker.Names.Events, Ct, "task.completed", "task.failed");

        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "learn", "message": "where do the ducks sleep at night", "reflect": false}""", "duck.chat.v1", Ct);
        Assert.Equal("completed", (await finished.WaitForAsync(m => Is(m, "learn"), Patience, Ct)).Json.GetProperty("status").GetString());
        await broker.PublishAsync(worker.Names.Jobs, """{"jobId": "recall", "message": "do the ducks sleep in the shed", "reflect": false}""", "duck.chat.v1", Ct);
        Assert.Equal("completed", (await finished.WaitForAsync(m => Is(m, "recall"), Patience, Ct)).Json.GetProperty("status").GetString());

        var memory = Assert.Single(await worker.Services.GetRequiredService<IMemoryStore>().ListAsync(null, null, 10, Ct));
        Assert.Equal((Fact, "global", ""), (memory.Text, memory.Scope, memory.Workspace));
        var learner = (await worker.Tasks.FindByJobIdAsync("learn", Ct))!;
        var stored = (await worker.EventsAsync(learner.TaskId)).Single(e => e.EventType == EventTypes.MemoryStored).Payload;
        Assert.Equal("global", stored.GetProperty("scope").GetString());
        var recaller = (await worker.Tasks.FindByJobIdAsync("recall", Ct))!;
        var recalled = (await worker.EventsAsync(recaller.TaskId)).Single(e => e.EventType == EventTypes.MemoryRecalled).Payload.GetProperty("memories");
        Assert.Equal(memory.MemoryId, Assert.Single(recalled.EnumerateArray()).GetProperty("memory_id").GetString());
        var prompt = worker.Ollama.Chats.Last(c => c.Model == WorkerHarness.Thinker && c.Messages.Any(m => m.Content == "do the ducks sleep in the shed")).Messages[0].Content;
        Assert.Contains(Fact, prompt, StringComparison.Ordinal);
    }
}
