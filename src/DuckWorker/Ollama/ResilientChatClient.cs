using Microsoft.Extensions.AI;

namespace DuckWorker.Ollama;

/// <summary>
/// Every chat call of a role through <see cref="ModelResilience"/>. It also names the role's model in the
/// client's metadata: the model is set per request on one shared client, so nothing else below knows it.
/// </summary>
internal sealed class ResilientChatClient(IChatClient inner, ModelResilience resilience, string role, string model, Uri? server)
    : DelegatingChatClient(inner)
{
    private readonly ChatClientMetadata metadata = new("ollama", server, model);

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages as IReadOnlyCollection<ChatMessage> ?? [.. messages];
        return resilience.ExecuteAsync(role, options?.ModelId ?? model, token => base.GetResponseAsync(prompt, options, token), cancellationToken);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? metadata : base.GetService(serviceType, serviceKey);
}
