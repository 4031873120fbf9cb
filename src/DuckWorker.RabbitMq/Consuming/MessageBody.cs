using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>
/// Reading a message body as one of the contracts, with a reason for the dead-letter queue when it is not. The
/// body is read where it lies: checked with a reader that copies nothing, then deserialized once.
/// </summary>
internal static class MessageBody
{
    /// <summary>Checks that the body is one well-formed JSON object, and whether it has a top-level property named <paramref name="property"/>.</summary>
    public static bool TryCheckObject(ReadOnlySpan<byte> body, ReadOnlySpan<byte> property, out bool hasProperty, out string reason)
    {
        hasProperty = false;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                while (reader.Read())
                {
                }

                reason = "The body is not a JSON object.";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                hasProperty |= reader.ValueTextEquals(property);
                reader.Read();
                reader.Skip();
            }

            // Anything after the object is an error the reader reports.
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            reason = $"The body is not JSON: {ex.Message}";
            return false;
        }

        reason = "";
        return true;
    }

    public static bool TryDeserialize<T>(ReadOnlySpan<byte> body, string type, out T value, out string reason)
        where T : class
    {
        try
        {
            value = JsonSerializer.Deserialize<T>(body, ContractJson.Options)!;
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

    /// <summary>The top-level string property <paramref name="property"/> of a JSON object, read without parsing the rest; null when there is none.</summary>
    public static string? FindString(ReadOnlySpan<byte> body, ReadOnlySpan<byte> property)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var found = reader.ValueTextEquals(property);
                reader.Read();
                if (found && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // A body that is not JSON has no job id to tell.
        }

        return null;
    }
}
