using Microsoft.Extensions.AI;

namespace DuckWorker.Ollama;

/// <summary>Every chat call through <see cref="ModelResilience"/>.</summary>
internal sealed class ResilientChatClient(IChatClient inner, ModelResilience resilience) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        return resilience.ExecuteAsync(token => base.GetResponseAsync(prompt, options, token), cancellationToken);
    }
}
