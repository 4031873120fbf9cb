using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>Reading a message body as one of the contracts, with a reason for the dead-letter queue when it is not.</summary>
internal static class MessageBody
{
    public static bool TryParseObject(ReadOnlySpan<byte> body, out JsonElement root, out string reason)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            root = default;
            reason = $"The body is not JSON: {ex.Message}";
            return false;
        }

        reason = root.ValueKind == JsonValueKind.Object ? "" : "The body is not a JSON object.";
        return root.ValueKind == JsonValueKind.Object;
    }

    public static bool TryDeserialize<T>(JsonElement body, string type, out T value, out string reason)
        where T : class
    {
        try
        {
            value = body.Deserialize<T>(ContractJson.Options)!;
            reason = "";
            return true;
        }
        catch (JsonException ex)
        {
            value = null!;
            reason = $"The body is not a valid {type}: {ex.Message}";
            return false;
        }
    }
}
