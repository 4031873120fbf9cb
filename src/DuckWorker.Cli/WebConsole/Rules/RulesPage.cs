using System.Text;
using DuckWorker.Cli.WebConsole.Tasks;
using DuckWorker.Runtime.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole.Rules;

/// <summary>
/// <c>GET /rules</c>: the allow-forever rules, oldest first, as <c>duck rules list</c>; <c>POST /rules/{id}/revoke</c>
/// takes one back (its action asks for approval again), as <c>duck rules revoke</c>.
/// </summary>
internal static class RulesPage
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/rules", async (HttpContext context, IApprovalRuleStore rules) =>
        {
            var revoked = context.Request.Query["revoked"].ToString();
            return Render(context, await rules.ListAsync(context.RequestAborted), revoked.Length > 0 ? $"Revoked rule {revoked}: its action asks for approval again." : null);
        });

        app.MapPost("/rules/{id}/revoke", async (HttpContext context, string id, IApprovalRuleStore rules) =>
            await rules.RevokeAsync(id, context.RequestAborted)
                ? Results.Redirect("/rules" + QueryString.Create("revoked", id))
                : Render(context, await rules.ListAsync(context.RequestAborted), $"No allow-forever rule has the id '{id}'; it may have been revoked already.", StatusCodes.Status404NotFound));
    }

    private static IResult Render(HttpContext context, IReadOnlyList<ApprovalRule> rules, string? notice, int statusCode = StatusCodes.Status200OK)
    {
        var main = new StringBuilder(TaskMarkup.Style);
        main.Append($"""
            <h1>Allow-forever rules</h1>
            <p>Each rule lets one action run in its workspace without asking again. It is known by the approval that created it.</p>
            <p role="status" id="notice"{(statusCode >= 400 ? " class=\"error\"" : "")}>{Html.Encode(notice ?? "")}</p>
            """);
        if (rules.Count == 0)
        {
            main.Append("<p>No allow-forever rules.</p>");
        }

        main.Append("""<ol class="rules" id="rules">""");
        foreach (var rule in rules)
        {
            main.Append($"""
                <li class="rule" data-rule-id="{Html.Encode(rule.ApprovalId)}">
                <p class="headline"><code>{Html.Encode(rule.Action.Tool)}</code> <code>{Html.Encode(rule.Action.Key)}</code></p>
                <p class="meta"><span>Workspace {Html.Encode(rule.Workspace)}</span> <span>Rule {Html.Encode(rule.ApprovalId)}</span> <span>Decided by {Html.Encode(rule.DecidedBy)}</span> <span>Created {TimeMarkup.Of(rule.CreatedAt)}</span></p>
                <form method="post" action="/rules/{Uri.EscapeDataString(rule.ApprovalId)}/revoke" class="inline">
                <button type="submit" class="danger" aria-label="Revoke rule {Html.Encode(rule.ApprovalId)}">Revoke</button>
                </form>
                </li>
                """);
        }

        main.Append("</ol>");
        return Layout.Render(context, "Rules", "/rules", main.ToString(), statusCode: statusCode);
    }
}
