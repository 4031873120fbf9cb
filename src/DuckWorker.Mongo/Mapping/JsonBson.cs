using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>
/// Arbitrary JSON (event payloads, tool arguments, memory metadata) as real BSON, so that it can be queried,
/// and back to the same JSON. Written by hand so that no <see cref="JsonElement"/> or <see cref="JsonNode"/>
/// ever reaches the driver's serializers, which would store them as opaque objects.
/// </summary>
/// <remarks>
/// A JSON number keeps its exact text where a BSON type reproduces it (int32, int64, double, then decimal128,
/// in that order, so <c>1.0</c> stays <c>1.0</c>); otherwise it keeps its exact value as a decimal128 (<c>1e5</c>
/// reads back as <c>1E+5</c>).
/// Only a number of more than 34 significant digits is rounded, to the nearest double.
/// </remarks>
internal static class JsonBson
{
    // The driver refuses BSON nested deeper than 100 levels, so JSON readers must never be the tighter limit.
    private const int MaxDepth = 128;

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = MaxDepth };

    public static BsonValue ToBson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToDocument(element),
        JsonValueKind.Array => new BsonArray(element.EnumerateArray().Select(ToBson)),
        JsonValueKind.String => new BsonString(element.GetString()!),
        JsonValueKind.Number => Number(element),
        JsonValueKind.True => BsonBoolean.True,
        JsonValueKind.False => BsonBoolean.False,
        JsonValueKind.Null => BsonNull.Value,
        _ => throw new ArgumentException("An undefined JSON value (default JsonElement) cannot be stored.", nameof(element)),
    };

    public static BsonDocument ToBson(JsonObject json) => (BsonDocument)ToBson(JsonSerializer.SerializeToElement<JsonNode>(json));

    public static JsonElement ToJson(BsonValue value)
    {
        using var document = JsonDocument.Parse(Utf8(value), ReadOptions);
        return document.RootElement.Clone();
    }

    public static JsonObject ToJsonObject(BsonDocument value) => JsonNode.Parse(Utf8(value).Span, documentOptions: ReadOptions)!.AsObject();

    private static BsonDocument ToDocument(JsonElement element)
    {
        var document = new BsonDocument();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The JSON property name '{property.Name.Replace("\0", "\\u0000", StringComparison.Ordinal)}' contains a NUL character, which BSON cannot store.", nameof(element));
            }

            // A name given twice keeps its last value, as JavaScript's JSON.parse does.
            document[property.Name] = ToBson(property.Value);
        }

        return document;
    }

    private static BsonValue Number(JsonElement element)
    {
        var text = element.GetRawText();
        if (element.TryGetInt32(out var int32) && Same(int32.ToString(CultureInfo.InvariantCulture), text))
        {
            return new BsonInt32(int32);
        }

        if (element.TryGetInt64(out var int64) && Same(int64.ToString(CultureInfo.InvariantCulture), text))
        {
            return new BsonInt64(int64);
        }

        // The driver reads a double -0 back as 0, so -0 is left to decimal128, which keeps the sign.
        if (element.TryGetDouble(out var number) && Same(Format(number), text) && !(number == 0 && double.IsNegative(number)))
        {
            return new BsonDouble(number);
        }

        // Decimal128 parses exactly or not at all (at most 34 significant digits).
        if (Decimal128.TryParse(text, out var exact))
        {
            return new BsonDecimal128(exact);
        }

        return element.TryGetDouble(out number)
            ? new BsonDouble(number)
            : throw new ArgumentException($"The JSON number {text} fits neither a decimal128 nor a double.", nameof(element));
    }

    private static ReadOnlyMemory<byte> Utf8(BsonValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = MaxDepth }))
        {
            Write(writer, value);
        }

        return buffer.WrittenMemory;
    }

    private static void Write(Utf8JsonWriter writer, BsonValue value)
    {
        switch (value.BsonType)
        {
            case BsonType.Document:
                writer.WriteStartObject();
                foreach (var element in value.AsBsonDocument)
                {
                    writer.WritePropertyName(element.Name);
                    Write(writer, element.Value);
                }

                writer.WriteEndObject();
                break;
            case BsonType.Array:
                writer.WriteStartArray();
                foreach (var item in value.AsBsonArray)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case BsonType.String:
                writer.WriteStringValue(value.AsString);
                break;
            case BsonType.Int32:
                writer.WriteNumberValue(value.AsInt32);
                break;
            case BsonType.Int64:
                writer.WriteNumberValue(value.AsInt64);
                break;
            case BsonType.Double:
                writer.WriteRawValue(Format(value.AsDouble));
                break;
            case BsonType.Decimal128:
                writer.WriteRawValue(value.AsDecimal128.ToString());
                break;
            case BsonType.Boolean:
                writer.WriteBooleanValue(value.AsBoolean);
                break;
            case BsonType.Null:
                writer.WriteNullValue();
                break;
            default:
                throw new FormatException($"A BSON {value.BsonType} has no JSON form: this value was not written by DuckWorker.");
        }
    }

    // The shortest text that reads back as the same double, as JSON writers print doubles.
    private static string Format(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.Ordinal);
}
