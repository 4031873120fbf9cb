using System.Net;
using DuckWorker.Runtime.Models;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace DuckWorker.Ollama;

/// <summary>
/// The resilience of every model call: a timeout per attempt (<c>Worker:ModelTimeout</c>) and retries of the
/// transient failures (unreachable, 429, 5xx, timeout) with exponential backoff (<c>Ollama:MaxRetries</c>).
/// A 4xx other than 429 is the request's fault and is not retried; a 404 means Ollama has no such model.
/// </summary>
internal sealed class ModelResilience(TimeSpan attemptTimeout, int maxRetries, TimeSpan retryDelay, TimeProvider time)
{
    private readonly ResiliencePipeline pipeline = Build(attemptTimeout, maxRetries, retryDelay, time);

    public async Task<T> ExecuteAsync<T>(string role, string model, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(async token => await call(token), cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new TimeoutException($"Ollama did not answer within Worker:ModelTimeout ({attemptTimeout}).", ex);
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            // Ollama answers 404 "model 'x' not found" for a model it has not pulled: the likeliest first-run error.
            throw new ModelNotFoundException(
                role,
                model,
                $"Ollama has no model '{model}' (the {role} role's, 404 Not Found): run `ollama pull {model}`, or set Ollama:Roles:{role}:Model to a model that `ollama list` shows.",
                ex);
        }
    }

    private static ResiliencePipeline Build(TimeSpan attemptTimeout, int maxRetries, TimeSpan retryDelay, TimeProvider time)
    {
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

        return builder.AddTimeout(attemptTimeout).Build();
    }

    private static bool IsTransient(HttpRequestException ex) =>
        ex.StatusCode is null or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError;
}
