using DuckWorker.Runtime.Loop;
using DuckWorker.Testing.Ollama;
using static DuckWorker.Tests.EventKinds;

namespace DuckWorker.Tests.Runtime;

/// <summary>
/// After the answer the memory policy and reflection ask their models at the same time; the log holds the memory
/// policy's events, then reflection's, whichever answered first.
/// </summary>
public sealed class MemoryAndReflectionRunTogetherInAStableOrder
{
    private static readonly OllamaReply Remember = Replies.Remember("The user says hello.", importance: 0.6);

    private static readonly string[] AfterTheAnswer =
        [MemoryCall, EventTypes.MemoryPolicyDecision, EmbeddingCall, EventTypes.MemoryStored, CriticCall, EventTypes.ReflectionCompleted];

    [Theory]
    [InlineData(1200, 600)]
    [InlineData(600, 1200)]
    public async Task BothModelCallsOverlapAndTheirEventsKeepOneOrder(int memoryDelayMs, int criticDelayMs)
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        worker.Ollama
            .Script(WorkerHarness.Memory, Remember with { Delay = TimeSpan.FromMilliseconds(memoryDelayMs) })
            .Script(WorkerHarness.Critic, Replies.Reflected with { Delay = TimeSpan.FromMilliseconds(criticDelayMs) });

        var result = await worker.RunAsync("hello", reflect: true);

        // Overlapped: each request began before the other ended; one after the other, the first would end before the second began.
        var afterAnswer = worker.Ollama.Served.Where(c => c.Model is WorkerHarness.Memory or WorkerHarness.Critic).ToList();
        Assert.Equal(2, afterAnswer.Count);
        Assert.True(afterAnswer[0].Overlaps(afterAnswer[1]), string.Join(", ", afterAnswer));
        var events = await worker.EventsAsync(result.TaskId);
        Assert.Equal(AfterTheAnswer, events.SkipWhile(e => e.EventType != EventTypes.TaskCompleted).Skip(1).Select(Kind));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
    }

    [Fact]
    public async Task AFailedMemoryPolicyKeepsReflectionsEvents()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        worker.Ollama
            .Script(WorkerHarness.Memory, OllamaReply.Text("not a decision") with { Delay = TimeSpan.FromMilliseconds(200) })
            .Script(WorkerHarness.Critic, Replies.Reflected);

        var result = await worker.RunAsync("hello", reflect: true);

        var after = (await worker.EventsAsync(result.TaskId)).SkipWhile(e => e.EventType != EventTypes.TaskCompleted).Skip(1).Select(Kind).ToList();
        Assert.Equal(EventTypes.MemoryPolicyFailed, after[after.IndexOf(MemoryCall) + 1]);
        Assert.Equal([CriticCall, EventTypes.ReflectionCompleted], after.Skip(after.IndexOf(EventTypes.MemoryPolicyFailed) + 1));
    }

    [Fact]
    public async Task AFailedReflectionKeepsTheMemoryPolicysEvents()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Answering;
        worker.Ollama
            .Script(WorkerHarness.Memory, Remember with { Delay = TimeSpan.FromMilliseconds(200) })
            .Script(WorkerHarness.Critic, OllamaReply.Text("not a review"));

        var result = await worker.RunAsync("hello", reflect: true);

        var after = (await worker.EventsAsync(result.TaskId)).SkipWhile(e => e.EventType != EventTypes.TaskCompleted).Skip(1).Select(Kind).ToList();
        Assert.Equal([MemoryCall, EventTypes.MemoryPolicyDecision, EmbeddingCall, EventTypes.MemoryStored], after.Take(4));
        Assert.Equal(EventTypes.ReflectionFailed, after[^1]);
        Assert.DoesNotContain(EventTypes.ReflectionCompleted, after);
    }
}
