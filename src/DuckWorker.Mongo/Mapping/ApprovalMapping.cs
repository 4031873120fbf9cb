using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>An approval as a document of the approvals collection; the exact call is kept as a BSON document.</summary>
internal static class ApprovalMapping
{
    public const string Id = "_id";
    public const string TaskId = "taskId";
    public const string Workspace = "workspace";
    public const string Index = "index";
    public const string Action = "action";
    public const string NormalizedAction = "normalizedAction";
    public const string Reason = "reason";
    public const string RiskLevel = "riskLevel";
    public const string ForeverScope = "foreverScope";
    public const string Decision = "decision";
    public const string DecidedBy = "decidedBy";
    public const string CreatedAt = "createdAt";
    public const string DecidedAt = "decidedAt";
    public const string ClosedReason = "closedReason";
    public const string ClosedAt = "closedAt";
    public const string Comment = "comment";
    public const string EditedArgs = "editedArgs";

    private const string Tool = "tool";
    private const string Key = "key";

    public static BsonDocument ToDocument(Approval approval) => new()
    {
        { Id, approval.ApprovalId },
        { TaskId, approval.TaskId },
        { Workspace, approval.Workspace },
        { Index, approval.Index },
        { Action, JsonBson.ToBson(approval.Action.ToJson()) },
        { NormalizedAction, new BsonDocument { { Tool, approval.NormalizedAction.Tool }, { Key, approval.NormalizedAction.Key } } },
        { Reason, approval.Reason },
        { RiskLevel, approval.RiskLevel },
        { ForeverScope, approval.ForeverScope },
        { Decision, BsonFields.Text(approval.Decision is { } decision ? WireName.Of(decision) : null) },
        { DecidedBy, BsonFields.Text(approval.DecidedBy) },
        { CreatedAt, BsonFields.Time(approval.CreatedAt) },
        { DecidedAt, BsonFields.Time(approval.DecidedAt) },
        { ClosedReason, BsonFields.Text(approval.ClosedReason) },
        { ClosedAt, BsonFields.Time(approval.ClosedAt) },
        { Comment, BsonFields.Text(approval.Comment) },
        { EditedArgs, EditedArgsValue(approval.EditedArgs) },
    };

    /// <summary>The edited args as a BSON document, or null when the call was allowed as proposed.</summary>
    public static BsonValue EditedArgsValue(JsonObject? editedArgs) => editedArgs is null ? BsonNull.Value : JsonBson.ToBson(editedArgs);

    public static Approval FromDocument(BsonDocument document)
    {
        var normalized = document[NormalizedAction].AsBsonDocument;
        return new Approval
        {
            ApprovalId = document[Id].AsString,
            TaskId = document[TaskId].AsString,
            Workspace = document[Workspace].AsString,
            Index = document[Index].ToInt32(),
            Action = ToolAction.FromJson(JsonBson.ToJsonObject(document[Action].AsBsonDocument)),
            NormalizedAction = new NormalizedAction(normalized[Tool].AsString, normalized[Key].AsString),
            Reason = document[Reason].AsString,
            RiskLevel = document[RiskLevel].AsString,
            ForeverScope = document[ForeverScope].AsString,
            Decision = document.NullableString(Decision) is { } decision ? WireName.Parse<ApprovalDecision>(decision) : null,
            DecidedBy = document.NullableString(DecidedBy),
            CreatedAt = document.Time(CreatedAt),
            DecidedAt = document.NullableTime(DecidedAt),
            ClosedReason = document.NullableString(ClosedReason),
            ClosedAt = document.NullableTime(ClosedAt),
            Comment = document.NullableString(Comment),

            // Approvals stored before edits existed have no such field.
            EditedArgs = document.TryGetValue(EditedArgs, out var edited) && edited.IsBsonDocument ? JsonBson.ToJsonObject(edited.AsBsonDocument) : null,
        };
    }
}
