using System.Text.Json;

namespace DuckWorker.Testing.Broker;

/// <summary>A message a test received, with the properties the contract fixes.</summary>
public sealed record ReceivedMessage(
    string RoutingKey,
    string? Type,
    string? ContentType,
    bool Persistent,
    string? MessageId,
    string? CorrelationId,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}
