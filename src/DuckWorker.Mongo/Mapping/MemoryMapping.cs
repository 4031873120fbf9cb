using DuckWorker.Runtime.Stores;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>A memory as a document of the memories collection; its metadata is kept as a BSON document.</summary>
internal static class MemoryMapping
{
    public const string Id = "_id";
    public const string Workspace = "workspace";
    public const string Scope = "scope";
    public const string MemoryType = "memoryType";
    public const string Text = "text";
    public const string Importance = "importance";
    public const string Metadata = "metadata";
    public const string TaskId = "taskId";
    public const string CreatedAt = "createdAt";
    public const string UpdatedAt = "updatedAt";

    /// <summary>The unit vector, an array of numbers (what Atlas vector search indexes); absent without one.</summary>
    public const string Embedding = "embedding";

    /// <summary>
    /// The embedder that made the vector (<see cref="EmbedderName"/>); absent without one. A vector written
    /// before vectors named their embedder reads as <see cref="EmbedderName.Unknown"/>.
    /// </summary>
    public const string EmbeddedBy = "embeddedBy";

    /// <summary>The scope of a memory recalled in every workspace.</summary>
    public const string GlobalScope = "global";

    public static BsonDocument ToDocument(MemoryRecord memory) => new BsonDocument
    {
        { Id, memory.MemoryId },
        { Workspace, memory.Workspace },
        { Scope, memory.Scope },
        { MemoryType, memory.MemoryType },
        { Text, memory.Text },
        { Importance, memory.Importance },
        { Metadata, JsonBson.ToBson(memory.Metadata) },
        { TaskId, BsonFields.Text(memory.TaskId) },
        { CreatedAt, BsonFields.Time(memory.CreatedAt) },
        { UpdatedAt, BsonFields.Time(memory.UpdatedAt) },
    }.AddVector(Embedding, memory.Embedding).AddEmbedder(EmbeddedBy, memory.Embedding, memory.EmbeddedBy);

    /// <summary>A vector and its embedder's name, as <see cref="ToDocument"/> writes them.</summary>
    public static BsonDocument EmbeddingFields(float[] embedding, string embeddedBy) =>
        new BsonDocument().AddVector(Embedding, embedding).AddEmbedder(EmbeddedBy, embedding, embeddedBy);

    public static MemoryRecord FromDocument(BsonDocument document) => new()
    {
        MemoryId = document[Id].AsString,
        Workspace = document[Workspace].AsString,
        Scope = document[Scope].AsString,
        MemoryType = document[MemoryType].AsString,
        Text = document[Text].AsString,
        Importance = document[Importance].ToDouble(),
        Metadata = JsonBson.ToJsonObject(document[Metadata].AsBsonDocument),
        TaskId = document.NullableString(TaskId),
        CreatedAt = document.Time(CreatedAt),
        UpdatedAt = document.Contains(UpdatedAt) ? document.Time(UpdatedAt) : document.Time(CreatedAt),
        Embedding = document.Vector(Embedding),
        EmbeddedBy = document.Embedder(Embedding, EmbeddedBy),
    };
}
