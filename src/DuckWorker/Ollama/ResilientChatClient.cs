using System.Net;
using Microsoft.Extensions.AI;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DuckWorker.Ollama;

/// <summary>
/// Gives every model call a timeout per attempt (<c>Worker:ModelTimeout</c>) and retries the transient
/// failures (unreachable, 429, 5xx, timeout) with exponential backoff (<c>Ollama:MaxRetries</c>). A 4xx
/// other than 429 is the request's fault and is not retried.
/// </summary>
internal sealed class ResilientChatClient : DelegatingChatClient
{
    private readonly ResiliencePipeline pipeline;
    private readonly TimeSpan attemptTimeout;

    public ResilientChatClient(IChatClient inner, TimeSpan attemptTimeout, int maxRetries, TimeSpan retryDelay, TimeProvider time)
        : base(inner)
    {
        this.attemptTimeout = attemptTimeout;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (maxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxRetries,
                Delay = retryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<TimeoutRejectedException>().Handle<HttpRequestException>(IsTransient),
            });
        }

        pipeline = builder.AddTimeout(attemptTimeout).Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        try
        {
            return await pipeline.ExecuteAsync(
                async token => await base.GetResponseAsync(prompt, options, token),
                cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"Ollama did not answer within Worker:ModelTimeout ({attemptTimeout}).", ex);
        }
    }

    private static bool IsTransient(HttpRequestException ex) =>
        ex.StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
}
