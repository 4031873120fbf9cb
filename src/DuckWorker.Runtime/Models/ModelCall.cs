namespace DuckWorker.Runtime.Models;

/// <summary>
/// One model call that answered, as <c>model_call_finished</c> records it: tokens when the server counted
/// them, and for an embedding call the number of texts embedded.
/// </summary>
public sealed record ModelCall(
    string Role,
    string? Model,
    long LatencyMs,
    long? PromptTokens,
    long? CompletionTokens,
    long? TotalTokens,
    int? Texts = null);
