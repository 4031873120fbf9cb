namespace DuckWorker.Runtime.Models;

/// <summary>One answer of a model role, with what <c>cognition_response</c> and <c>model_call_finished</c> record.</summary>
public sealed record ModelResponse(
    string Role,
    string Content,
    string? ReasoningContent,
    string? Model,
    long LatencyMs,
    long? PromptTokens,
    long? CompletionTokens,
    long? TotalTokens);
