namespace DuckWorker.Runtime.Models;

/// <summary>One answer of a model role: what <c>cognition_response</c> records, with the model, latency and token counts.</summary>
public sealed record ModelResponse(
    string Role,
    string Content,
    string? ReasoningContent,
    string? Model,
    long LatencyMs,
    long? PromptTokens,
    long? CompletionTokens,
    long? TotalTokens);
