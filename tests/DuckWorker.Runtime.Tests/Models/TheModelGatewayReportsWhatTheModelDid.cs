using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace DuckWorker.Runtime.Tests.Models;

public sealed class TheModelGatewayReportsWhatTheModelDid
{
    private static readonly ConversationMessage[] Prompt = [new(ConversationMessage.System, "be brief"), new(ConversationMessage.User, "hi")];

    private static ModelGateway Gateway(IChatClient thinker, ModelCallRecorder? recorder = null) =>
        new(thinker, TestChatClient.Answering(), TestChatClient.Answering(), TestChatClient.Answering(), recorder ?? new ModelCallRecorder(), TimeProvider.System, NullLogger<ModelGateway>.Instance);

    [Fact]
    public async Task ContentReasoningModelAndTokensAreReported()
    {
        var client = new TestChatClient((_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("hmm "), new TextContent("Hello"), new TextReasoningContent("ok")]))
        {
            ModelId = "qwen3:8b",
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3, TotalTokenCount = 15 },
        }));

        var response = await Gateway(client).ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken);

        Assert.Equal(("thinker", "Hello", "hmm ok", "qwen3:8b", 12L, 3L, 15L), (response.Role, response.Content, response.ReasoningContent, response.Model, response.PromptTokens, response.CompletionTokens, response.TotalTokens));
        Assert.Equal([ChatRole.System, ChatRole.User], client.Calls.Single().Messages.Select(m => m.Role));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(System.Net.HttpStatusCode.TooManyRequests)]
    [InlineData(System.Net.HttpStatusCode.InternalServerError)]
    [InlineData(System.Net.HttpStatusCode.ServiceUnavailable)]
    public async Task AnUnreachableOrFailingServerMakesTheModelUnavailableNamingTheRole(System.Net.HttpStatusCode? status)
    {
        var client = new TestChatClient((_, _, _) => throw new HttpRequestException("Connection refused (localhost:11434)", null, status));

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => Gateway(client).ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken));

        Assert.Equal("The thinker model is unavailable: Connection refused (localhost:11434)", error.Message);
        Assert.Equal(ModelRoles.Thinker, error.Role);
    }

    [Fact]
    public async Task EveryAnsweredCallGoesToTheRecorderOfItsFlowWithTokensAndLatency()
    {
        var recorder = new ModelCallRecorder();
        var client = new TestChatClient((_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Hello"))
        {
            ModelId = "qwen3:8b",
            Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3, TotalTokenCount = 15 },
        }));
        var gateway = Gateway(client, recorder);
        var recorded = new List<ModelCall>();

        await gateway.ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken);
        using (recorder.RecordTo((call, _) => { recorded.Add(call); return Task.CompletedTask; }))
        {
            await gateway.ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken);
        }

        await gateway.ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken);

        var only = Assert.Single(recorded);
        Assert.Equal(("thinker", "qwen3:8b", 12L, 3L, 15L, (int?)null), (only.Role, only.Model, only.PromptTokens, only.CompletionTokens, only.TotalTokens, only.Texts));
        Assert.True(only.LatencyMs >= 0);
    }

    [Fact]
    public async Task AModelTheServerDoesNotHaveIsReportedAsItIs()
    {
        var missing = new ModelNotFoundException(ModelRoles.Thinker, "qwen9", "run `ollama pull qwen9`");
        var client = new TestChatClient((_, _, _) => throw missing);

        var error = await Assert.ThrowsAsync<ModelNotFoundException>(() => Gateway(client).ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken));

        Assert.Same(missing, error);
    }

    [Theory]
    [InlineData(System.Net.HttpStatusCode.BadRequest)]
    [InlineData(System.Net.HttpStatusCode.NotFound)]
    public async Task ARefusedRequestIsAModelCallFailure(System.Net.HttpStatusCode status)
    {
        var client = new TestChatClient((_, _, _) => throw new HttpRequestException("model 'x' not found", null, status));

        var error = await Assert.ThrowsAsync<ModelCallException>(() => Gateway(client).ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken));

        Assert.Equal("The thinker model failed: model 'x' not found", error.Message);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotTurnedIntoAFailure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var client = new TestChatClient((_, _, token) => Task.FromCanceled<ChatResponse>(token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Gateway(client).ChatAsync(ModelRoles.Thinker, Prompt, null, cancelled.Token));
    }

    [Fact]
    public async Task AnInternalTimeoutMakesTheModelUnavailableNotTheCallCancelled()
    {
        var client = new TestChatClient((_, _, _) => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"));

        var error = await Assert.ThrowsAsync<ModelUnavailableException>(() => Gateway(client).ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken));

        Assert.Contains("HttpClient.Timeout", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<think>plan</think>answer", "answer", "plan")]
    [InlineData("  <think>\nplan\n</think>\n\nanswer", "answer", "plan")]
    [InlineData("<think>unfinished plan", "<think>unfinished plan", null)]
    [InlineData("answer <think>not at the start</think>", "answer <think>not at the start</think>", null)]
    public async Task ThinkTagsAtTheStartAreReasoning(string text, string content, string? reasoning)
    {
        var response = await Gateway(TestChatClient.Answering(new TextContent(text))).ChatAsync(ModelRoles.Thinker, Prompt, null, TestContext.Current.CancellationToken);

        Assert.Equal((content, reasoning), (response.Content, response.ReasoningContent));
    }

    [Fact]
    public async Task OnlyChatRolesHaveAClient()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Gateway(TestChatClient.Answering()).ChatAsync(ModelRoles.Embedding, Prompt, null, TestContext.Current.CancellationToken));
    }
}
