using System.Text.Json;

namespace DuckWorker.Cli.Broker;

/// <summary>A message the command line received: its routing key, type, job id and body.</summary>
internal sealed record FeedMessage(string RoutingKey, string? Type, string? CorrelationId, JsonElement Body, ulong DeliveryTag)
{
    public string? Text(string property) =>
        Body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
