using System.CommandLine;
using System.Text.Json;
using DuckWorker.Cli.Rendering;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary><c>duck approvals list</c>: the approvals no one has decided yet, oldest first, from the store the worker uses.</summary>
internal static class ApprovalsListCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var json = TasksCommand.JsonOption();
        var limit = new Option<int>("--limit") { Description = "At most this many, oldest first.", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Pending approvals, oldest first: decide them with duck approve ID or duck deny ID.") { limit, json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var services = cli.Agent();
            var pending = await services.GetRequiredService<IApprovalStore>().ListPendingAsync(parse.GetValue(limit), cancellationToken);
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (parse.GetValue(json))
            {
                cli.Console.WriteLine(JsonSerializer.Serialize(pending.Select(a => new
                {
                    a.ApprovalId,
                    a.TaskId,
                    a.Action.Tool,
                    Action = ActionSummary.Of(a.Action.Args, int.MaxValue),
                    a.RiskLevel,
                    a.Reason,
                    a.Workspace,
                    a.CreatedAt,
                }), Json));
                return ExitCodes.Success;
            }

            if (pending.Count == 0)
            {
                cli.Console.WriteLine("No pending approvals.");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("approval", "task", "tool", "action", "risk", "age");
            foreach (var approval in pending)
            {
                table.AddRow(approval.ApprovalId, approval.TaskId, Markup.Escape(approval.Action.Tool), Markup.Escape(ActionSummary.Of(approval.Action.Args)), Markup.Escape(approval.RiskLevel), Age.Since(approval.CreatedAt, now));
            }

            cli.Console.Write(table);
            return ExitCodes.Success;
        });
        return list;
    }
}
