using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck rules list|revoke ID</c>: the <c>allow_forever</c> rules, each known by the approval that created it,
/// and taking one back so that its action asks again.
/// </summary>
internal static class RulesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var json = TasksCommand.JsonOption();
        var list = new Command("list", "Every allow-forever rule, oldest first.") { json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var rules = await cli.Agent().GetRequiredService<IApprovalRuleStore>().ListAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                cli.Console.WriteLine(JsonSerializer.Serialize(rules.Select(r => new
                {
                    RuleId = r.ApprovalId,
                    r.Workspace,
                    r.Action.Tool,
                    Pattern = r.Action.Key,
                    r.DecidedBy,
                    r.CreatedAt,
                }), Json));
                return ExitCodes.Success;
            }

            if (rules.Count == 0)
            {
                cli.Console.WriteLine("No allow-forever rules.");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("rule", "workspace", "tool", "pattern", "decided by", "created");
            foreach (var rule in rules)
            {
                table.AddRow(
                    Markup.Escape(rule.ApprovalId),
                    Markup.Escape(rule.Workspace),
                    Markup.Escape(rule.Action.Tool),
                    Markup.Escape(rule.Action.Key.ReplaceLineEndings(" ")),
                    Markup.Escape(rule.DecidedBy),
                    rule.CreatedAt.ToString("u", CultureInfo.InvariantCulture));
            }

            cli.Console.Write(table);
            return ExitCodes.Success;
        });

        var ruleId = new Argument<string>("rule-id") { Description = "The rule's id, as duck rules list shows it (the approval that created it)." };
        var revoke = new Command("revoke", "Take back an allow-forever rule: its action asks for approval again.") { ruleId };
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var id = parse.GetValue(ruleId)!;
            if (!await cli.Agent().GetRequiredService<IApprovalRuleStore>().RevokeAsync(id, cancellationToken))
            {
                throw new CliException($"No allow-forever rule has the id '{id}'; duck rules list shows them.");
            }

            cli.Console.WriteLine($"Revoked rule {id}: its action asks for approval again.");
            return ExitCodes.Success;
        });

        return new Command("rules", "Allow-forever approval rules.") { list, revoke };
    }
}
