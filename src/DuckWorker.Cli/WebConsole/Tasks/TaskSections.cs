using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckWorker.Cli.Rendering;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>
/// The parts of a task page that change while the task runs, each rendered whole from a <see cref="TaskSnapshot"/>:
/// the page renders them once, and the live stream sends them again as events arrive.
/// </summary>
internal static class TaskSections
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Status, message, answer or error, the pending approval, and the buttons that apply.</summary>
    public static string Summary(TaskSnapshot snapshot)
    {
        var task = snapshot.Task;
        var html = new StringBuilder();
        html.Append($"""
            <p><span class="badge status-{WireName.Of(task.Status)}" id="task-status">{TaskMarkup.Status(task.Status)}</span></p>
            <dl>
            <dt>Job</dt><dd>{Html.Encode(task.JobId)}</dd>
            <dt>Workspace</dt><dd>{Html.Encode(task.Workspace ?? "none")}</dd>
            <dt>Created</dt><dd>{TimeMarkup.Of(task.CreatedAt)}</dd>
            <dt>Updated</dt><dd>{TimeMarkup.Of(task.UpdatedAt)}</dd>
            <dt>Attempts</dt><dd>{task.Attempts}</dd>
            </dl>
            <h2>Message</h2>
            <pre id="task-message">{Html.Encode(task.Message)}</pre>
            """);
        if (task.FinalResponse is { } answer)
        {
            html.Append($"""<h2>Answer</h2><pre id="task-answer">{Html.Encode(answer)}</pre>""");
        }

        if (task.Error is { } error)
        {
            html.Append($"""<h2>Error</h2><pre id="task-error" class="error">{Html.Encode(error)}</pre>""");
        }

        if (snapshot.PendingApproval is { } approval)
        {
            html.Append($"""
                <p id="task-approval" role="note">Waiting for approval <strong>{Html.Encode(approval.ApprovalId)}</strong> of {Html.Encode(approval.Action.Tool)}:
                {Html.Encode(approval.Reason)} <a href="/#approval-{Uri.EscapeDataString(approval.ApprovalId)}">Decide in the inbox</a></p>
                """);
        }

        if (task.CancelRequest is { } cancel && task.Status is AgentTaskStatus.Running or AgentTaskStatus.WaitingForApproval)
        {
            html.Append($"<p id=\"task-cancel\">{Html.Encode(cancel.Describe())} ({TimeMarkup.Of(cancel.At)}); it stops at its next step.</p>");
        }

        if (snapshot.Events.LastOrDefault(e => e.EventType == EventTypes.TaskRetried) is { } retried
            && retried.Payload.TryGetProperty("new_task_id", out var retryId) && retryId.GetString() is { } newTask)
        {
            html.Append($"""<p id="task-retried">Runs again as <a href="/tasks/{Uri.EscapeDataString(newTask)}">task {Html.Encode(newTask)}</a>.</p>""");
        }

        html.Append(Buttons(task));
        return html.ToString();
    }

    /// <summary>The task's tool calls, each with its arguments, the policy's judgement and its output.</summary>
    public static string ToolCalls(TaskSnapshot snapshot)
    {
        var calls = ToolCall.From(snapshot.Events);
        if (calls.Count == 0)
        {
            return "<p>No tool calls.</p>";
        }

        var html = new StringBuilder();
        foreach (var call in calls)
        {
            html.Append($"""<article class="tool-call" id="tool-call-{call.Index}"><h3>#{call.Index} <code>{Html.Encode(call.Tool)}</code></h3>""");
            if (call.Args.ValueKind != JsonValueKind.Undefined)
            {
                html.Append($"<pre aria-label=\"Arguments\">{Html.Encode(JsonSerializer.Serialize(call.Args, Indented))}</pre>");
            }

            if (call.ApprovalId is { } approvalId)
            {
                html.Append($"<p>Approval {Html.Encode(approvalId)}{(call.ApprovalReason is { Length: > 0 } reason ? ": " + Html.Encode(reason) : "")}</p>");
            }

            foreach (var audit in call.Audits)
            {
                html.Append($"<p class=\"audit\">Policy: {Html.Encode(EventLine.Brief(EventTypes.CommandAudit, audit))}</p>");
            }

            html.Append(Result(call.Result));
            html.Append("</article>");
        }

        return html.ToString();
    }

    /// <summary>The memories the task recalled, best first, with the text each had when it was recalled (or that it was forgotten since).</summary>
    public static string Memories(TaskSnapshot snapshot)
    {
        if (snapshot.Memories.Count == 0)
        {
            return "<p>No memories recalled.</p>";
        }

        var html = new StringBuilder("<ul>");
        foreach (var recalled in snapshot.Memories)
        {
            var score = recalled.Score is { } value ? $", similarity {value.ToString("0.00", CultureInfo.InvariantCulture)}" : "";
            html.Append(recalled.Memory is { } memory
                ? $"<li data-memory-id=\"{Html.Encode(memory.MemoryId)}\">{Html.Encode(memory.Text)} <span class=\"meta\">({Html.Encode(memory.Scope)}, importance {memory.Importance.ToString("0.00", CultureInfo.InvariantCulture)}{score})</span></li>"
                : $"<li data-memory-id=\"{Html.Encode(recalled.MemoryId)}\">Memory {Html.Encode(recalled.MemoryId)}, forgotten since <span class=\"meta\">({score.TrimStart(',', ' ')})</span></li>");
        }

        return html.Append("</ul>").ToString();
    }

    /// <summary>One event of the timeline.</summary>
    public static string TimelineItem(TaskEvent entry) =>
        $"""<li id="event-{entry.Seq}" data-seq="{entry.Seq}"><span class="seq">{entry.Seq}</span> {TimeMarkup.TimeOfDay(entry.At)} <code>{Html.Encode(entry.EventType)}</code> {Html.Encode(EventLine.Brief(entry.EventType, entry.Payload))}</li>""";

    private static string Result(JsonElement? result)
    {
        if (result is not { ValueKind: JsonValueKind.Object } value)
        {
            return "<p class=\"meta\">No result yet.</p>";
        }

        var html = new StringBuilder($"<p>Result: {Html.Encode(EventLine.Brief(EventTypes.ToolCallFinished, JsonSerializer.SerializeToElement(new { result = value })))}</p>");
        if (value.TryGetProperty("output", out var output) && output.ValueKind == JsonValueKind.String && output.GetString() is { Length: > 0 } text)
        {
            html.Append($"<pre class=\"output\" aria-label=\"Output\">{Html.Encode(text)}</pre>");
        }

        if (value.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString() is { Length: > 0 } problem)
        {
            html.Append($"<pre class=\"output error\" aria-label=\"Error\">{Html.Encode(problem)}</pre>");
        }

        return html.ToString();
    }

    private static string Buttons(AgentTask task)
    {
        var id = Uri.EscapeDataString(task.TaskId);
        return task.Status switch
        {
            AgentTaskStatus.Running or AgentTaskStatus.WaitingForApproval => $"""
                <form method="post" action="/tasks/{id}/cancel" class="inline">
                <label for="cancel-reason">Reason to cancel (optional)</label>
                <input type="text" id="cancel-reason" name="reason" maxlength="500">
                <button type="submit" class="danger">Cancel task</button>
                </form>
                """,
            AgentTaskStatus.Failed => $"""<form method="post" action="/tasks/{id}/retry" class="inline"><button type="submit" class="primary">Retry as a new task</button></form>""",
            _ => "",
        };
    }
}
