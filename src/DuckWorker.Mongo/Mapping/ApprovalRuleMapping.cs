using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using MongoDB.Bson;

namespace DuckWorker.Mongo.Mapping;

/// <summary>An <c>allow_forever</c> rule as a document of the approval rules collection; the server gives it its <c>_id</c>.</summary>
internal static class ApprovalRuleMapping
{
    public const string Workspace = "workspace";
    public const string Tool = "tool";
    public const string Key = "key";
    public const string ApprovalId = "approvalId";
    public const string DecidedBy = "decidedBy";
    public const string CreatedAt = "createdAt";

    public static BsonDocument ToDocument(ApprovalRule rule) => new()
    {
        { Workspace, rule.Workspace },
        { Tool, rule.Action.Tool },
        { Key, rule.Action.Key },
        { ApprovalId, rule.ApprovalId },
        { DecidedBy, rule.DecidedBy },
        { CreatedAt, BsonFields.Time(rule.CreatedAt) },
    };

    /// <summary>The filter that finds the rule for this workspace and action, if there is one.</summary>
    public static BsonDocument Match(string workspace, NormalizedAction action) => new()
    {
        { Workspace, workspace },
        { Tool, action.Tool },
        { Key, action.Key },
    };

    /// <summary>The filter that finds the rule the approval <paramref name="approvalId"/> created, by which a person revokes it.</summary>
    public static BsonDocument ByApproval(string approvalId) => new(ApprovalId, approvalId);

    public static ApprovalRule FromDocument(BsonDocument document) => new(
        document[Workspace].AsString,
        new NormalizedAction(document[Tool].AsString, document[Key].AsString),
        document[ApprovalId].AsString,
        document[DecidedBy].AsString,
        document.Time(CreatedAt));
}
