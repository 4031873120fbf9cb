using System.Text;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>
/// <c>GET /tasks</c>: the newest tasks with their status, message, workspace and times, filtered by a GET form
/// (status, workspace, creation time), each linking to its page.
/// </summary>
internal static class TaskBoardPage
{
    public const int Limit = 100;

    public static void Map(WebApplication app) =>
        app.MapGet("/tasks", async (HttpContext context, ITaskStore tasks, TimeProvider time) =>
        {
            var query = TaskBoardQuery.Of(context.Request);
            var (filter, errors) = query.ToFilter(time.GetUtcNow());
            var found = errors.Count == 0 ? await tasks.ListAsync(filter, Limit, context.RequestAborted) : [];
            var main = new StringBuilder();
            main.Append(TaskMarkup.Style);
            main.Append("<h1>Tasks</h1>");
            main.Append(Form(query, found));
            if (errors.Count > 0)
            {
                main.Append("""<div role="alert" class="error"><p>The filters cannot be used:</p><ul>""");
                foreach (var error in errors)
                {
                    main.Append($"<li>{Html.Encode(error)}</li>");
                }

                main.Append("</ul></div>");
                return Layout.Render(context, "Tasks", "/tasks", main.ToString(), statusCode: StatusCodes.Status400BadRequest);
            }

            main.Append($"""<p class="count" role="status">{Counted(found.Count)}</p>""");
            main.Append("""<ol class="tasks" id="tasks">""");
            foreach (var task in found)
            {
                main.Append(Item(task, query));
            }

            main.Append("</ol>");
            return Layout.Render(context, "Tasks", "/tasks", main.ToString());
        });

    private static string Counted(int count) => count switch
    {
        0 => "No task matches.",
        1 => "1 task, newest first.",
        Limit => $"The newest {Limit} tasks that match; narrow the filters to see older ones.",
        _ => $"{count} tasks, newest first.",
    };

    private static string Form(TaskBoardQuery query, IReadOnlyList<AgentTask> shown)
    {
        var form = new StringBuilder("""<form method="get" action="/tasks" class="filters" aria-label="Filter tasks">""");
        form.Append("""<div><label for="status">Status</label><select id="status" name="status"><option value="">any</option>""");
        foreach (var status in TaskBoardQuery.Statuses)
        {
            form.Append($"""<option value="{status}"{Selected(query.Status == status)}>{status.Replace('_', ' ')}</option>""");
        }

        form.Append("</select></div>");
        form.Append($"""<div><label for="workspace">Workspace</label><input type="text" id="workspace" name="workspace" list="workspaces" value="{Html.Encode(query.Workspace)}" placeholder="any"><datalist id="workspaces">""");
        foreach (var workspace in shown.Select(t => t.Workspace).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            form.Append($"""<option value="{Html.Encode(workspace)}"></option>""");
        }

        form.Append("</datalist></div>");
        form.Append("""<div><label for="since">Created</label><select id="since" name="since"><option value="">any time</option>""");
        foreach (var (value, label, _) in TaskBoardQuery.Periods)
        {
            form.Append($"""<option value="{value}"{Selected(query.Since == value)}>in {label}</option>""");
        }

        form.Append("</select></div>");
        form.Append($"""<div><label for="from">From (UTC)</label><input type="date" id="from" name="from" value="{Html.Encode(query.From)}"></div>""");
        form.Append($"""<div><label for="to">To (UTC)</label><input type="date" id="to" name="to" value="{Html.Encode(query.To)}"></div>""");
        form.Append("""<div class="actions"><button type="submit" class="primary">Filter</button> <a href="/tasks">Clear</a></div></form>""");
        return form.ToString();
    }

    private static string Item(AgentTask task, TaskBoardQuery query)
    {
        var workspace = task.Workspace is { } path
            ? $"""<a href="/tasks{Html.Encode((query with { Workspace = path }).ToQueryString())}" title="Only the tasks of this workspace">{Html.Encode(path)}</a>"""
            : "none";
        return $"""
            <li class="task" data-task-id="{Html.Encode(task.TaskId)}">
            <p class="headline"><span class="badge status-{WireName.Of(task.Status)}">{TaskMarkup.Status(task.Status)}</span> <a href="/tasks/{Uri.EscapeDataString(task.TaskId)}" class="message">{Html.Encode(TaskMarkup.Clip(task.Message, 160))}</a></p>
            <p class="meta"><span>Workspace {workspace}</span> <span>Created {TimeMarkup.Of(task.CreatedAt)}</span> <span>Updated {TimeMarkup.Of(task.UpdatedAt)}</span></p>
            </li>
            """;
    }

    private static string Selected(bool selected) => selected ? " selected" : "";
}
