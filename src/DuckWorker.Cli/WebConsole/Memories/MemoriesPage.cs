using System.Globalization;
using System.Text;
using DuckWorker.Cli.WebConsole.Tasks;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole.Memories;

/// <summary>
/// <c>GET /memories?q=TEXT&amp;scope=S</c>: what the worker remembers, newest first, found by a text it contains
/// (ignoring case) and by scope;
/// <c>POST /memories/{id}/forget</c> deletes one, as <c>duck memories forget</c>.
/// </summary>
internal static class MemoriesPage
{
    public const int Limit = 200;

    public static void Map(WebApplication app)
    {
        app.MapGet("/memories", async (HttpContext context, IMemoryStore memories) =>
        {
            var text = context.Request.Query["q"].ToString().Trim();
            var scope = context.Request.Query["scope"].ToString();
            if (scope.Length > 0 && scope is not (MemoryDecision.WorkspaceScope or MemoryDecision.GlobalScope))
            {
                return Render(context, text, "", [], $"Scope must be {MemoryDecision.WorkspaceScope} or {MemoryDecision.GlobalScope}, not '{scope}'.", StatusCodes.Status400BadRequest);
            }

            var found = await memories.ListAsync(null, scope.Length > 0 ? scope : null, text.Length > 0 ? text : null, Limit, context.RequestAborted);
            var forgot = context.Request.Query["forgot"].ToString();
            return Render(context, text, scope, found, forgot.Length > 0 ? $"Forgot memory {forgot}: it is not recalled again." : null);
        });

        app.MapPost("/memories/{id}/forget", async (HttpContext context, string id, IMemoryStore memories) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (!await memories.DeleteAsync(id, context.RequestAborted))
            {
                return Render(context, "", "", [], $"No memory has the id '{id}'; it may have been forgotten already.", StatusCodes.Status404NotFound);
            }

            var back = new Dictionary<string, string?> { ["q"] = form["q"].ToString(), ["scope"] = form["scope"].ToString(), ["forgot"] = id };
            return Results.Redirect("/memories" + QueryString.Create(back.Where(p => p.Value!.Length > 0)));
        });
    }

    private static string Counted(int count) => count switch
    {
        0 => "No memory matches.",
        1 => "1 memory.",
        Limit => $"The newest {Limit} memories that match; search for more words to see older ones.",
        _ => $"{count} memories, newest first.",
    };

    private static IResult Render(HttpContext context, string text, string scope, IReadOnlyList<MemoryRecord> found, string? notice, int statusCode = StatusCodes.Status200OK)
    {
        var main = new StringBuilder(TaskMarkup.Style);
        main.Append($"""
            <h1>Memories</h1>
            <form method="get" action="/memories" class="filters" role="search" aria-label="Search memories">
            <div><label for="q">Text</label><input type="text" id="q" name="q" value="{Html.Encode(text)}"></div>
            <div><label for="scope">Scope</label><select id="scope" name="scope">
            <option value="">any</option>
            <option value="{MemoryDecision.WorkspaceScope}"{(scope == MemoryDecision.WorkspaceScope ? " selected" : "")}>workspace (recalled in its workspace)</option>
            <option value="{MemoryDecision.GlobalScope}"{(scope == MemoryDecision.GlobalScope ? " selected" : "")}>global (recalled by every job)</option>
            </select></div>
            <div class="actions"><button type="submit" class="primary">Search</button> <a href="/memories">Clear</a></div>
            </form>
            <p role="status" id="notice"{(statusCode >= 400 ? " class=\"error\"" : "")}>{Html.Encode(notice ?? "")}</p>
            <p class="count">{Counted(found.Count)}</p>
            <ol class="memories" id="memories">
            """);
        foreach (var memory in found)
        {
            var where = memory.Scope == MemoryDecision.WorkspaceScope ? $"workspace {memory.Workspace}" : memory.Scope;
            var task = memory.TaskId is { } taskId ? $"""<span>Learned in <a href="/tasks/{Uri.EscapeDataString(taskId)}">task {Html.Encode(taskId)}</a></span>""" : "";
            main.Append($"""
                <li class="memory" data-memory-id="{Html.Encode(memory.MemoryId)}">
                <p class="headline">{Html.Encode(memory.Text)}</p>
                <p class="meta"><span>Scope: {Html.Encode(where)}</span> <span>Type: {Html.Encode(memory.MemoryType)}</span> <span>Importance {memory.Importance.ToString("0.00", CultureInfo.InvariantCulture)}</span> <span>Created {TimeMarkup.Of(memory.CreatedAt)}</span> {task}</p>
                <form method="post" action="/memories/{Uri.EscapeDataString(memory.MemoryId)}/forget" class="inline">
                <input type="hidden" name="q" value="{Html.Encode(text)}"><input type="hidden" name="scope" value="{Html.Encode(scope)}">
                <button type="submit" class="danger" aria-label="Forget memory {Html.Encode(memory.MemoryId)}">Forget</button>
                </form>
                </li>
                """);
        }

        main.Append("</ol>");
        return Layout.Render(context, "Memories", "/memories", main.ToString(), statusCode: statusCode);
    }
}
