using System.Text;
using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Lifecycle;
using DuckWorker.Runtime.Loop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>
/// <c>GET /tasks/{id}</c>: one task — message, status, answer or error, pending approval, tool calls with their
/// output, recalled memories and the event timeline, kept up to date by <see cref="TaskEventStream"/> — and its
/// cancel and retry buttons (<c>POST /tasks/{id}/cancel|retry</c>, as <c>duck tasks cancel|retry</c>).
/// </summary>
internal static class TaskPage
{
    public static void Map(WebApplication app, TaskReaders store, RuntimeLoop loop)
    {
        app.MapGet("/tasks/{id}", async (HttpContext context, string id) =>
            await TaskSnapshot.LoadAsync(store, id, context.RequestAborted) is { } snapshot
                ? Render(context, snapshot, notice: null)
                : NotFound(context, id));

        app.MapPost("/tasks/{id}/cancel", async (HttpContext context, string id, CliBroker broker) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var reason = form["reason"].ToString().Trim();
            try
            {
                await TaskCancellation.CancelAsync(
                    store.Tasks, loop, _ => Task.FromResult(broker), id, By(context), reason.Length > 0 ? reason : null, context.RequestAborted);
            }
            catch (CliException refused)
            {
                return await RefusedAsync(context, store, id, refused.Message);
            }

            return Results.Redirect($"/tasks/{Uri.EscapeDataString(id)}");
        });

        app.MapPost("/tasks/{id}/retry", async (HttpContext context, string id, CliBroker broker) =>
        {
            if ((await store.Tasks.GetAsync(id, context.RequestAborted) ?? await store.Tasks.FindByJobIdAsync(id, context.RequestAborted)) is not { } task)
            {
                return NotFound(context, id);
            }

            try
            {
                var retry = await TaskRetry.RetryAsync(loop, _ => Task.FromResult(broker), task, By(context), context.RequestAborted);
                return Results.Redirect($"/tasks/{Uri.EscapeDataString(retry.TaskId)}");
            }
            catch (CliException refused)
            {
                return await RefusedAsync(context, store, id, refused.Message);
            }
        });
    }

    private static IResult Render(HttpContext context, TaskSnapshot snapshot, string? notice, int statusCode = StatusCodes.Status200OK)
    {
        var task = snapshot.Task;
        var id = Uri.EscapeDataString(task.TaskId);
        var main = new StringBuilder(TaskMarkup.Style);
        main.Append($"""
            <div id="task" data-stream="/tasks/{id}/events?after={snapshot.LastSeq}">
            <h1>Task {Html.Encode(task.TaskId)}</h1>
            <p role="alert" class="error" id="task-notice">{Html.Encode(notice ?? "")}</p>
            <section id="task-summary" aria-live="polite">{TaskSections.Summary(snapshot)}</section>
            <section aria-labelledby="tool-calls-title"><h2 id="tool-calls-title">Tool calls</h2><div id="task-tool-calls">{TaskSections.ToolCalls(snapshot)}</div></section>
            <section aria-labelledby="memories-title"><h2 id="memories-title">Recalled memories</h2><div id="task-memories">{TaskSections.Memories(snapshot)}</div></section>
            <section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2><ol class="timeline" id="timeline">
            """);
        foreach (var entry in snapshot.Events)
        {
            main.Append(TaskSections.TimelineItem(entry));
        }

        main.Append("</ol></section></div>");
        return Layout.Render(context, $"Task {task.TaskId}", "/tasks", main.ToString(), Script, statusCode);
    }

    /// <summary>
    /// Follows the live stream: each update replaces the sections it carries (not one holding the focus, so that a
    /// reason being typed is kept; the next update brings it) and appends new events to the timeline.
    /// </summary>
    private const string Script = """
        (() => {
          const page = document.getElementById('task');
          const source = new EventSource(page.dataset.stream);
          source.addEventListener('update', message => {
            const update = JSON.parse(message.data);
            for (const [id, html] of Object.entries(update.sections)) {
              const section = document.getElementById(id);
              if (section && !section.contains(document.activeElement)) section.innerHTML = html;
            }
            const timeline = document.getElementById('timeline');
            for (const item of update.events) timeline.insertAdjacentHTML('beforeend', item);
          });
        })();
        """;

    private static async Task<IResult> RefusedAsync(HttpContext context, TaskReaders store, string id, string reason) =>
        await TaskSnapshot.LoadAsync(store, id, context.RequestAborted) is { } snapshot
            ? Render(context, snapshot, reason, StatusCodes.Status409Conflict)
            : NotFound(context, id);

    private static IResult NotFound(HttpContext context, string id) =>
        Layout.Render(
            context,
            "No such task",
            "/tasks",
            $"""<h1>No such task</h1><p role="alert">No task has the id (or job id) '{Html.Encode(id)}'. A job just submitted has no task until a worker takes it. <a href="/tasks">All tasks</a></p>""",
            statusCode: StatusCodes.Status404NotFound);

    /// <summary>Who asks, as the console knows them (recorded with the cancel request or retry).</summary>
    private static string By(HttpContext context) => ConsoleUser.NameOf(context) is { Length: > 0 } name ? name : "console";
}
