using System.Text.Json;
using DuckWorker.Runtime.Stores;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>
/// An event as a document of the events collection. Its <c>_id</c> is chosen by the writer, so that an insert
/// sent again after a lost answer finds its own first copy instead of adding a second one.
/// </summary>
internal static class EventMapping
{
    public const string Id = "_id";
    public const string TaskId = "taskId";
    public const string Seq = "seq";
    public const string EventType = "eventType";
    public const string Payload = "payload";
    public const string At = "at";

    public static BsonDocument ToDocument(ObjectId id, TaskEvent entry) => ToDocument(id, entry, JsonBson.ToBson(entry.Payload));

    /// <summary>With the payload already converted, so that a payload BSON cannot hold fails before a seq is taken.</summary>
    public static BsonDocument ToDocument(ObjectId id, TaskEvent entry, BsonValue payload) => new()
    {
        { Id, id },
        { TaskId, entry.TaskId },
        { Seq, entry.Seq },
        { EventType, entry.EventType },
        { Payload, payload },
        { At, BsonFields.Time(entry.At) },
    };

    public static TaskEvent FromDocument(BsonDocument document) => new(
        document[TaskId].AsString,
        document[Seq].ToInt64(),
        document[EventType].AsString,
        JsonBson.ToJson(document[Payload]),
        document.Time(At));
}
