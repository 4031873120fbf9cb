using System.Diagnostics;
using System.Text;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Runtime.Models;

/// <summary>
/// Calls a model role and returns its answer with reasoning, token counts and latency. A failure of the
/// client becomes a <see cref="ModelUnavailableException"/> when it is worth trying later (unreachable,
/// 429, 5xx, timeout) and a <see cref="ModelCallException"/> otherwise, both naming the role; a model the
/// server does not have stays a <see cref="ModelNotFoundException"/>. Every answered call goes to the
/// <see cref="ModelCallRecorder"/>.
/// </summary>
public sealed class ModelGateway(
    [FromKeyedServices(ModelRoles.Thinker)] IChatClient thinker,
    [FromKeyedServices(ModelRoles.Action)] IChatClient action,
    [FromKeyedServices(ModelRoles.Critic)] IChatClient critic,
    [FromKeyedServices(ModelRoles.Memory)] IChatClient memory,
    ModelCallRecorder recorder,
    TimeProvider time,
    ILogger<ModelGateway> logger)
{
    /// <summary>
    /// Longest answer kept. A model that runs away must not produce events near MongoDB's 16 MB document
    /// limit (an answer is stored in the task and in two events).
    /// </summary>
    public const int MaxContentChars = 512 * 1024;

    private const string ThinkOpen = "<think>";
    private const string ThinkClose = "</think>";

    public async Task<ModelResponse> ChatAsync(
        string role,
        IEnumerable<ConversationMessage> messages,
        ChatOptions? options,
        CancellationToken cancellationToken)
    {
        var client = ClientFor(role);
        var prompt = messages.Select(ToChatMessage).ToList();
        logger.ModelCallStarting(role, prompt.Count, prompt.Sum(m => m.Text.Length));
        var started = time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(prompt, options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ModelNotFoundException)
        {
            throw;
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            throw new ModelUnavailableException(role, client.GetService<ChatClientMetadata>()?.DefaultModelId, OneLine(ex.Message), ex);
        }
        catch (Exception ex)
        {
            throw new ModelCallException(role, $"The {role} model failed: {ex.Message}", ex);
        }

        var elapsed = time.GetElapsedTime(started);
        var latency = (long)elapsed.TotalMilliseconds;
        var tags = new TagList { { "duck.model.role", role }, { "gen_ai.request.model", response.ModelId } };
        DuckTelemetry.ModelDuration.Record(elapsed.TotalSeconds, tags);
        if (response.Usage is { } usage)
        {
            DuckTelemetry.ModelTokens.Record(usage.InputTokenCount ?? 0, [.. tags, new("gen_ai.token.type", "input")]);
            DuckTelemetry.ModelTokens.Record(usage.OutputTokenCount ?? 0, [.. tags, new("gen_ai.token.type", "output")]);
        }

        var (content, reasoning) = Split(response);
        if (content.Length > MaxContentChars)
        {
            logger.ModelAnswerTruncated(role, content.Length, MaxContentChars);
            content = content[..MaxContentChars];
        }

        var model = response.ModelId ?? client.GetService<ChatClientMetadata>()?.DefaultModelId;
        logger.ModelCallFinished(role, model, latency);
        logger.ModelAnswer(role, content);
        var answer = new ModelResponse(
            role,
            content,
            reasoning,
            model,
            latency,
            response.Usage?.InputTokenCount,
            response.Usage?.OutputTokenCount,
            response.Usage?.TotalTokenCount);
        await recorder.FinishedAsync(
            new ModelCall(role, model, latency, answer.PromptTokens, answer.CompletionTokens, answer.TotalTokens),
            cancellationToken);
        return answer;
    }

    /// <summary>A reason fit for one log line and one event field: a client's message can span lines.</summary>
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');

    /// <summary>Unreachable, timed out, rate limited or a server-side error: worth trying again later.</summary>
    private static bool IsTransient(Exception ex) => ex switch
    {
        TimeoutException or OperationCanceledException => true,
        HttpRequestException http => http.StatusCode is null or System.Net.HttpStatusCode.TooManyRequests or >= System.Net.HttpStatusCode.InternalServerError,
        _ => ex.InnerException is { } inner && IsTransient(inner),
    };

    private IChatClient ClientFor(string role) => role switch
    {
        ModelRoles.Thinker => thinker,
        ModelRoles.Action => action,
        ModelRoles.Critic => critic,
        ModelRoles.Memory => memory,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a chat model role."),
    };

    private static ChatMessage ToChatMessage(ConversationMessage message) => new(
        message.Role switch
        {
            ConversationMessage.System => ChatRole.System,
            ConversationMessage.Assistant => ChatRole.Assistant,
            _ => ChatRole.User,
        },
        message.Content);

    /// <summary>
    /// Reasoning arrives as reasoning content when the server separates it; models served without that
    /// separation put it at the start of the text inside think tags, so both forms are accepted.
    /// </summary>
    private static (string Content, string? Reasoning) Split(ChatResponse response)
    {
        var text = new StringBuilder();
        var reasoning = new StringBuilder();
        foreach (var content in response.Messages.SelectMany(m => m.Contents))
        {
            switch (content)
            {
                case TextReasoningContent thought:
                    reasoning.Append(thought.Text);
                    break;
                case TextContent part:
                    text.Append(part.Text);
                    break;
            }
        }

        var answer = text.ToString();
        var trimmed = answer.TrimStart();
        if (reasoning.Length == 0 && trimmed.StartsWith(ThinkOpen, StringComparison.Ordinal))
        {
            var close = trimmed.IndexOf(ThinkClose, StringComparison.Ordinal);
            if (close >= 0)
            {
                reasoning.Append(trimmed.AsSpan(ThinkOpen.Length, close - ThinkOpen.Length).Trim());
                answer = trimmed[(close + ThinkClose.Length)..].TrimStart();
            }
        }

        return (answer, reasoning.Length > 0 ? reasoning.ToString() : null);
    }
}
