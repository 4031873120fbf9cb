using DuckWorker.Runtime.Stores;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>A reflection record as a document of the experiences collection.</summary>
internal static class ExperienceMapping
{
    public const string Id = "_id";
    public const string TaskId = "taskId";
    public const string Workspace = "workspace";
    public const string Summary = "summary";
    public const string Outcome = "outcome";
    public const string ReusableLesson = "reusableLesson";
    public const string CreatedAt = "createdAt";
    public const string LessonEmbedding = "lessonEmbedding";

    /// <summary>As <see cref="MemoryMapping.EmbeddedBy"/>, for the lesson's vector.</summary>
    public const string LessonEmbeddedBy = "lessonEmbeddedBy";

    public static BsonDocument ToDocument(ExperienceRecord record) => new BsonDocument
    {
        { Id, record.RecordId },
        { TaskId, record.TaskId },
        { Workspace, record.Workspace },
        { Summary, record.Summary },
        { Outcome, record.Outcome },
        { ReusableLesson, BsonFields.Text(record.ReusableLesson) },
        { CreatedAt, BsonFields.Time(record.CreatedAt) },
    }.AddVector(LessonEmbedding, record.LessonEmbedding).AddEmbedder(LessonEmbeddedBy, record.LessonEmbedding, record.LessonEmbeddedBy);

    /// <summary>A lesson's vector and its embedder's name, as <see cref="ToDocument"/> writes them.</summary>
    public static BsonDocument LessonEmbeddingFields(float[] embedding, string embeddedBy) =>
        new BsonDocument().AddVector(LessonEmbedding, embedding).AddEmbedder(LessonEmbeddedBy, embedding, embeddedBy);

    public static ExperienceRecord FromDocument(BsonDocument document) => new()
    {
        RecordId = document[Id].AsString,
        TaskId = document[TaskId].AsString,
        Workspace = document[Workspace].AsString,
        Summary = document[Summary].AsString,
        Outcome = document[Outcome].AsString,
        ReusableLesson = document.NullableString(ReusableLesson),
        CreatedAt = document.Time(CreatedAt),
        LessonEmbedding = document.Vector(LessonEmbedding),
        LessonEmbeddedBy = document.Embedder(LessonEmbedding, LessonEmbeddedBy),
    };
}
