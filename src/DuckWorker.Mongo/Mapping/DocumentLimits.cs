using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;

namespace DuckWorker.Mongo.Mapping;

/// <summary>What one MongoDB document can hold: 16 MiB of BSON, nested at most 100 levels (the driver's limit).</summary>
internal static class DocumentLimits
{
    public const int MaxBytes = 16 * 1024 * 1024;

    public const int MaxDepth = 100;

    /// <summary>
    /// Encodes <paramref name="document"/> as the driver will, so that one it cannot send is refused before the
    /// store commits to anything (an event's seq); the driver itself finds out only while sending.
    /// </summary>
    /// <exception cref="ArgumentException">The document is too large or too deep.</exception>
    public static void Check(BsonDocument document, string what)
    {
        int size;
        try
        {
            using var stream = new MemoryStream();
            using var writer = new BsonBinaryWriter(stream, new BsonBinaryWriterSettings { MaxSerializationDepth = MaxDepth });
            BsonSerializer.Serialize(writer, document);
            size = (int)stream.Length;
        }
        catch (BsonSerializationException ex)
        {
            throw new ArgumentException($"{what} is nested deeper than MongoDB's {MaxDepth} levels: {ex.Message}", ex);
        }

        if (size > MaxBytes)
        {
            throw new ArgumentException($"{what} takes {size} bytes as BSON, more than MongoDB's {MaxBytes} (16 MiB) for one document.");
        }
    }
}
