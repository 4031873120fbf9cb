using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>A task as a document of the tasks collection; its id is the document's <c>_id</c>.</summary>
internal static class TaskMapping
{
    public const string Id = "_id";
    public const string JobId = "jobId";
    public const string Message = "message";
    public const string Workspace = "workspace";
    public const string Debug = "debug";
    public const string Status = "status";
    public const string FinalResponse = "finalResponse";
    public const string ReasoningContent = "reasoningContent";
    public const string Error = "error";
    public const string Context = "context";
    public const string Reasoning = "reasoning";
    public const string Reflect = "reflect";
    public const string ReplyTo = "replyTo";
    public const string LeaseOwner = "leaseOwner";
    public const string LeaseExpiresAt = "leaseExpiresAt";
    public const string Attempts = "attempts";
    public const string CancelRequest = "cancelRequest";
    public const string CreatedAt = "createdAt";
    public const string UpdatedAt = "updatedAt";

    private const string Role = "role";
    private const string Content = "content";
    private const string By = "by";
    private const string Reason = "reason";
    private const string At = "at";

    public static BsonDocument ToDocument(AgentTask task) => new()
    {
        { Id, task.TaskId },
        { JobId, task.JobId },
        { Message, task.Message },
        { Workspace, BsonFields.Text(task.Workspace) },
        { Debug, task.Debug },
        { Status, WireName.Of(task.Status) },
        { FinalResponse, BsonFields.Text(task.FinalResponse) },
        { ReasoningContent, BsonFields.Text(task.ReasoningContent) },
        { Error, BsonFields.Text(task.Error) },
        { Context, new BsonArray(task.Context.Select(message => new BsonDocument { { Role, message.Role }, { Content, message.Content } })) },
        { Reasoning, BsonFields.Text(task.Reasoning is { } mode ? WireName.Of(mode) : null) },
        { Reflect, task.Reflect },
        { ReplyTo, BsonFields.Text(task.ReplyTo) },
        { LeaseOwner, BsonFields.Text(task.LeaseOwner) },
        { LeaseExpiresAt, BsonFields.Time(task.LeaseExpiresAt) },
        { Attempts, task.Attempts },
        { CancelRequest, task.CancelRequest is { } cancel ? ToDocument(cancel) : BsonNull.Value },
        { CreatedAt, BsonFields.Time(task.CreatedAt) },
        { UpdatedAt, BsonFields.Time(task.UpdatedAt) },
    };

    public static AgentTask FromDocument(BsonDocument document) => new()
    {
        TaskId = document[Id].AsString,
        JobId = document[JobId].AsString,
        Message = document[Message].AsString,
        Workspace = document.NullableString(Workspace),
        Debug = document[Debug].AsBoolean,
        Status = WireName.Parse<AgentTaskStatus>(document[Status].AsString),
        FinalResponse = document.NullableString(FinalResponse),
        ReasoningContent = document.NullableString(ReasoningContent),
        Error = document.NullableString(Error),
        Context = [.. document[Context].AsBsonArray.Select(entry => new ConversationMessage(entry[Role].AsString, entry[Content].AsString))],
        Reasoning = document.NullableString(Reasoning) is { } mode ? WireName.Parse<ReasoningMode>(mode) : null,
        Reflect = document[Reflect].AsBoolean,
        ReplyTo = document.NullableString(ReplyTo),
        LeaseOwner = document.NullableString(LeaseOwner),
        LeaseExpiresAt = document.NullableTime(LeaseExpiresAt),
        Attempts = document[Attempts].ToInt32(),
        CancelRequest = CancelRequestOf(document),
        CreatedAt = document.Time(CreatedAt),
        UpdatedAt = document.Time(UpdatedAt),
    };

    public static BsonDocument ToDocument(CancelRequest request) => new()
    {
        { By, request.By },
        { Reason, BsonFields.Text(request.Reason) },
        { At, BsonFields.Time(request.At) },
    };

    /// <summary>The task's request to stop, from the task's document or a projection of it.</summary>
    public static CancelRequest? CancelRequestOf(BsonDocument task) =>
        task.TryGetValue(CancelRequest, out var cancel) && cancel is BsonDocument request
            ? new(request[By].AsString, request.NullableString(Reason), request.Time(At))
            : null;
}
