using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>
/// <c>GET /tasks/{id}/events?after=SEQ</c>: a task page's live updates, as Server-Sent Events. The broker's
/// <c>task.event.*</c> announcements, which the console follows once for all its pages (<see cref="ConsoleFeed"/>),
/// say when the task changed; the store is the record: each update carries every stored event after the last one
/// sent (its seq is the SSE id, so a reconnecting browser resumes after it), and the sections those events change.
/// The store is read again every few seconds as well, so that an event the broker did not carry (announcements are
/// a live view that can miss one) is shown all the same; without the broker's announcements (it is away, or refuses
/// the console's queue) the page follows the store alone, at that pace.
/// </summary>
internal static class TaskEventStream
{
    private static readonly TimeSpan StoreCheck = TimeSpan.FromSeconds(5);

    public static void Map(WebApplication app, TaskReaders store) =>
        app.MapGet("/tasks/{id}/events", async (HttpContext context, string id, TaskSignals signals, TimeProvider time, IHostApplicationLifetime lifetime) =>
        {
            // A stream ends when the console stops, or the console would wait for every open page before stopping.
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            var cancellationToken = ended.Token;
            var after = LastSeen(context.Request);
            try
            {
                // The task is watched (by its id, which the page may name by its job's) before it and its log are
                // read, so that nothing appended in between goes unnoticed.
                var taskId = (await TaskSnapshot.FindAsync(store, id, cancellationToken))?.TaskId ?? id;
                using var watch = signals.Watch(taskId);
                if (await TaskSnapshot.LoadAsync(store, taskId, cancellationToken) is not { } snapshot)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                context.Response.ContentType = "text/event-stream";
                await context.Response.Body.FlushAsync(cancellationToken);
                while (true)
                {
                    if (snapshot.LastSeq > after)
                    {
                        await context.Response.WriteAsync(Update(snapshot, after), cancellationToken);
                        await context.Response.Body.FlushAsync(cancellationToken);
                        after = snapshot.LastSeq;
                    }
                    else
                    {
                        // A comment, which the browser ignores: writing it finds a page that is gone.
                        await context.Response.WriteAsync(": nothing new\n\n", cancellationToken);
                        await context.Response.Body.FlushAsync(cancellationToken);
                    }

                    await watch.WaitAsync(StoreCheck, time, cancellationToken);
                    snapshot = await TaskSnapshot.LoadAsync(store, taskId, cancellationToken) ?? snapshot;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The page was closed or the console stops.
            }
        });

    /// <summary>The seq the browser has: from <c>Last-Event-ID</c> when it reconnects, else from the page it loaded.</summary>
    private static long LastSeen(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString(), out var resumed) ? resumed
        : long.TryParse(request.Query["after"].ToString(), out var shown) ? shown
        : 0;

    private static string Update(TaskSnapshot snapshot, long after)
    {
        var update = new
        {
            sections = new Dictionary<string, string>
            {
                ["task-summary"] = TaskSections.Summary(snapshot),
                ["task-tool-calls"] = TaskSections.ToolCalls(snapshot),
                ["task-memories"] = TaskSections.Memories(snapshot),
            },
            events = snapshot.Events.Where(e => e.Seq > after).Select(TaskSections.TimelineItem),
        };

        // One line of JSON (newlines in strings are escaped), as an SSE data field must be.
        return $"id: {snapshot.LastSeq}\nevent: update\ndata: {JsonSerializer.Serialize(update)}\n\n";
    }
}
