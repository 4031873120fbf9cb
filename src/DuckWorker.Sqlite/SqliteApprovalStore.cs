using System.Text.Json.Nodes;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Sqlite;

internal sealed class SqliteApprovalStore(SqliteDatabase database) : IApprovalStore
{
    private const string Columns = """
        approval_id, task_id, workspace, action_index, action, normalized_tool, normalized_key, reason, risk_level,
        forever_scope, decision, decided_by, created_at, decided_at, closed_reason, closed_at, comment, edited_args
        """;

    public Task CreateAsync(Approval approval, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.Command(
                $"INSERT INTO approvals ({Columns}) VALUES ($id, $task, $workspace, $index, $action, $tool, $key, $reason, $risk, $scope, $decision, $by, $created, $decided, $closedReason, $closed, $comment, $edited);",
                ("$id", approval.ApprovalId),
                ("$task", approval.TaskId),
                ("$workspace", approval.Workspace),
                ("$index", approval.Index),
                ("$action", JsonText.Of(approval.Action.ToJson())),
                ("$tool", approval.NormalizedAction.Tool),
                ("$key", approval.NormalizedAction.Key),
                ("$reason", approval.Reason),
                ("$risk", approval.RiskLevel),
                ("$scope", approval.ForeverScope),
                ("$decision", approval.Decision is { } decision ? WireName.Of(decision) : null),
                ("$by", approval.DecidedBy),
                ("$created", SqliteCommands.Time(approval.CreatedAt)),
                ("$decided", approval.DecidedAt is { } at ? SqliteCommands.Time(at) : null),
                ("$closedReason", approval.ClosedReason),
                ("$closed", approval.ClosedAt is { } closed ? SqliteCommands.Time(closed) : null),
                ("$comment", approval.Comment),
                ("$edited", approval.EditedArgs is { } edited ? JsonText.Of(edited) : null));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<Approval?> GetAsync(string approvalId, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command($"SELECT {Columns} FROM approvals WHERE approval_id = $id;", ("$id", approvalId));
            return (await select.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    public Task<Approval?> FindPendingAsync(string taskId, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command(
                $"SELECT {Columns} FROM approvals WHERE task_id = $task AND decision IS NULL AND closed_reason IS NULL ORDER BY created_at DESC, approval_id DESC LIMIT 1;",
                ("$task", taskId));
            return (await select.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    public Task<IReadOnlyList<Approval>> ListPendingAsync(int limit, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Approval>>(async connection =>
        {
            await using var select = connection.Command(
                $"SELECT {Columns} FROM approvals WHERE decision IS NULL AND closed_reason IS NULL ORDER BY created_at, approval_id LIMIT $limit;",
                ("$limit", limit));
            return await select.ReadAllAsync(Map);
        }, cancellationToken);

    public Task<Approval?> TryDecideAsync(
        string approvalId,
        ApprovalDecision decision,
        string decidedBy,
        DateTimeOffset decidedAt,
        string? comment,
        JsonObject? editedArgs,
        CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            // One statement decides and reads back, so of two racing decisions exactly one gets a row.
            await using var update = connection.Command(
                $"UPDATE approvals SET decision = $decision, decided_by = $by, decided_at = $at, comment = $comment, edited_args = $edited WHERE approval_id = $id AND decision IS NULL AND closed_reason IS NULL RETURNING {Columns};",
                ("$decision", WireName.Of(decision)),
                ("$by", decidedBy),
                ("$at", SqliteCommands.Time(decidedAt)),
                ("$comment", comment),
                ("$edited", editedArgs is null ? null : JsonText.Of(editedArgs)),
                ("$id", approvalId));
            return (await update.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    public Task<Approval?> TryCloseAsync(string approvalId, string reason, DateTimeOffset closedAt, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            // The same guard as a decision's: of a close and a decision racing, exactly one gets the row.
            await using var update = connection.Command(
                $"UPDATE approvals SET closed_reason = $reason, closed_at = $at WHERE approval_id = $id AND decision IS NULL AND closed_reason IS NULL RETURNING {Columns};",
                ("$reason", reason),
                ("$at", SqliteCommands.Time(closedAt)),
                ("$id", approvalId));
            return (await update.ReadAllAsync(Map)).SingleOrDefault();
        }, cancellationToken);

    private static Approval Map(SqliteDataReader row) => new()
    {
        ApprovalId = row.String("approval_id"),
        TaskId = row.String("task_id"),
        Workspace = row.String("workspace"),
        Index = row.GetInt32(row.GetOrdinal("action_index")),
        Action = ToolAction.FromJson(JsonNode.Parse(row.String("action"))!.AsObject()),
        NormalizedAction = new NormalizedAction(row.String("normalized_tool"), row.String("normalized_key")),
        Reason = row.String("reason"),
        RiskLevel = row.String("risk_level"),
        ForeverScope = row.String("forever_scope"),
        Decision = row.NullableString("decision") is { } decision ? WireName.Parse<ApprovalDecision>(decision) : null,
        DecidedBy = row.NullableString("decided_by"),
        CreatedAt = SqliteCommands.Time(row.String("created_at")),
        DecidedAt = row.NullableString("decided_at") is { } at ? SqliteCommands.Time(at) : null,
        ClosedReason = row.NullableString("closed_reason"),
        ClosedAt = row.NullableString("closed_at") is { } closed ? SqliteCommands.Time(closed) : null,
        Comment = row.NullableString("comment"),
        EditedArgs = row.NullableString("edited_args") is { } edited ? JsonNode.Parse(edited)!.AsObject() : null,
    };
}
