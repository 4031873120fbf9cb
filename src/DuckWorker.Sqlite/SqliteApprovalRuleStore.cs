using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Sqlite;

internal sealed class SqliteApprovalRuleStore(SqliteDatabase database) : IApprovalRuleStore
{
    public Task AddAsync(ApprovalRule rule, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var insert = connection.Command(
                """
                INSERT INTO approval_rules (workspace, tool, action_key, approval_id, decided_by, created_at)
                VALUES ($workspace, $tool, $key, $approval, $by, $created)
                ON CONFLICT (workspace, tool, action_key) DO NOTHING;
                """,
                ("$workspace", rule.Workspace),
                ("$tool", rule.Action.Tool),
                ("$key", rule.Action.Key),
                ("$approval", rule.ApprovalId),
                ("$by", rule.DecidedBy),
                ("$created", SqliteCommands.Time(rule.CreatedAt)));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<bool> ExistsAsync(string workspace, NormalizedAction action, CancellationToken cancellationToken) =>
        database.RunAsync(async connection =>
        {
            await using var select = connection.Command(
                "SELECT EXISTS (SELECT 1 FROM approval_rules WHERE workspace = $workspace AND tool = $tool AND action_key = $key);",
                ("$workspace", workspace),
                ("$tool", action.Tool),
                ("$key", action.Key));
            return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }, cancellationToken);

    public Task<IReadOnlyList<ApprovalRule>> ListAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<ApprovalRule>>(async connection =>
        {
            await using var select = connection.Command(
                "SELECT workspace, tool, action_key, approval_id, decided_by, created_at FROM approval_rules ORDER BY created_at, approval_id;");
            return await select.ReadAllAsync(row => new ApprovalRule(
                row.String("workspace"),
                new NormalizedAction(row.String("tool"), row.String("action_key")),
                row.String("approval_id"),
                row.String("decided_by"),
                SqliteCommands.Time(row.String("created_at"))));
        }, cancellationToken);

    public Task<bool> RevokeAsync(string approvalId, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var delete = connection.Command("DELETE FROM approval_rules WHERE approval_id = $approval;", ("$approval", approvalId));
            return await delete.ExecuteNonQueryAsync(cancellationToken) > 0;
        }, cancellationToken);
}
