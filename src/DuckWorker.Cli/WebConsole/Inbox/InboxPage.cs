using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Runtime.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace DuckWorker.Cli.WebConsole.Inbox;

/// <summary>
/// The approvals inbox (<c>/</c>): pending approvals, oldest first, kept current by <c>/inbox/events</c>
/// (server-sent events) and decided with <c>POST /approvals/{id}/decision</c>. Without script the forms still
/// work: the page comes back with what was sent.
/// </summary>
internal static class InboxPage
{
    /// <summary>The oldest this many are shown; the rest follow as these are decided.</summary>
    private const int Limit = 100;

    /// <summary>How often an open inbox reads the store when the broker announced nothing.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    private static readonly string[] Decisions = ["allow_once", "allow_forever", "deny"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (HttpContext context, IApprovalStore approvals, ITaskStore tasks) =>
            Layout.Render(context, "Inbox", "/", await MainAsync(approvals, tasks, status: null, context.RequestAborted), InboxScript.Text));

        app.MapGet("/inbox/items", async (IApprovalStore approvals, ITaskStore tasks, CancellationToken cancellationToken) =>
            Html.Page(await ItemsAsync(approvals, tasks, cancellationToken)));

        app.MapGet("/inbox/events", (IApprovalStore approvals, InboxSignal signal, IHostApplicationLifetime lifetime, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(ChangesAsync(approvals, signal, lifetime.ApplicationStopping, cancellationToken), eventType: "inbox"));

        app.MapPost("/approvals/{approvalId}/decision", async (string approvalId, HttpContext context, IApprovalStore approvals, ITaskStore tasks, ConsoleDecisions decisions) =>
        {
            var cancellationToken = context.RequestAborted;
            var form = await context.Request.ReadFormAsync(cancellationToken);
            var (sent, message) = await DecideAsync(approvalId, form, ConsoleUser.NameOf(context), approvals, decisions, cancellationToken);
            if (context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.Ordinal))
            {
                return Results.Json(new DecisionOutcome(sent, message), statusCode: sent ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
            }

            var main = await MainAsync(approvals, tasks, (sent, message), cancellationToken);
            return Layout.Render(context, "Inbox", "/", main, InboxScript.Text, sent ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
        });
    }

    private static async Task<(bool Sent, string Message)> DecideAsync(string approvalId, IFormCollection form, string decidedBy, IApprovalStore approvals, ConsoleDecisions decisions, CancellationToken cancellationToken)
    {
        var decision = form["decision"].ToString();
        if (!Decisions.Contains(decision))
        {
            return (false, $"'{decision}' is no decision (allow_once, allow_forever or deny). Nothing was sent.");
        }

        if (decidedBy.Length == 0)
        {
            return (false, "Sign in first: a decision is recorded with your name. Nothing was sent.");
        }

        JsonObject? edited = null;
        if (form["edited"] == "true")
        {
            if (await approvals.GetAsync(approvalId, cancellationToken) is not { } approval)
            {
                return (false, $"No approval has the id '{approvalId}'. Nothing was sent.");
            }

            if (EditedArgs(form, approval) is not { } args)
            {
                return (false, "The edited arguments are not a JSON object. Nothing was sent.");
            }

            edited = args;
        }

        var comment = form["comment"].ToString().Trim();
        return await decisions.SendAsync(new ConsoleDecision(approvalId, decision, decidedBy, comment.Length > 0 ? comment : null, edited), cancellationToken);
    }

    /// <summary>The action's arguments with the person's change; browsers send a textarea's lines ending in CRLF, turned back as they were.</summary>
    private static JsonObject? EditedArgs(IFormCollection form, Approval approval)
    {
        var args = (JsonObject)approval.Action.Args.DeepClone();
        foreach (var name in new[] { "command", "content" })
        {
            if (form.TryGetValue(name, out var value))
            {
                var original = approval.Action.StringArg(name) ?? "";
                args[name] = original.Contains('\r', StringComparison.Ordinal) ? value.ToString() : value.ToString().ReplaceLineEndings("\n");
                return args;
            }
        }

        try
        {
            return JsonNode.Parse(form["args"].ToString()) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<string> MainAsync(IApprovalStore approvals, ITaskStore tasks, (bool Sent, string Message)? status, CancellationToken cancellationToken)
    {
        var items = await ItemsAsync(approvals, tasks, cancellationToken);
        var statusClass = status is { Sent: false } ? "status error" : "status";
        return $"""
            <h1>Approvals inbox</h1>
            <p id="status" class="{statusClass}" role="status" aria-live="polite" tabindex="-1">{Html.Encode(status?.Message)}</p>
            <p id="empty"{(items.Length == 0 ? "" : " hidden")}>Nothing waits for approval.</p>
            <ol id="inbox" class="inbox" aria-label="Pending approvals, oldest first">{items}</ol>
            """;
    }

    private static async Task<string> ItemsAsync(IApprovalStore approvals, ITaskStore tasks, CancellationToken cancellationToken)
    {
        var html = new StringBuilder();
        foreach (var approval in await approvals.ListPendingAsync(Limit, cancellationToken))
        {
            html.Append(ApprovalCard.Render(approval, await tasks.GetAsync(approval.TaskId, cancellationToken)));
        }

        return html.ToString();
    }

    /// <summary>The pending approvals' ids, each time they change: the page then fetches the items it lacks.</summary>
    /// <remarks>The stream ends when the console stops, which otherwise would wait for every open page to go.</remarks>
    private static async IAsyncEnumerable<string> ChangesAsync(IApprovalStore approvals, InboxSignal signal, CancellationToken stopping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? last = null;
        while (!cancellationToken.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            var ids = string.Join(' ', (await approvals.ListPendingAsync(Limit, cancellationToken)).Select(a => a.ApprovalId));
            if (ids != last)
            {
                last = ids;
                yield return ids;
            }

            await signal.WaitAsync(Poll, stopping, cancellationToken);
        }
    }

    private sealed record DecisionOutcome(bool Sent, string Message);
}
