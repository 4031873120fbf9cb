using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Cli.WebConsole.Inbox;

/// <summary>
/// One pending approval as an inbox item: the task's message, what would run, why the policy asks and how
/// risky it is, exactly what "forever" would allow, and the decisions (with a comment, or after an edit).
/// </summary>
internal static class ApprovalCard
{
    public static string Render(Approval approval, AgentTask? task)
    {
        var id = Html.Encode(approval.ApprovalId);
        var action = approval.Action;
        var modelReason = action.Reason is { Length: > 0 } why ? $"<dt>The model's reason</dt><dd>{Html.Encode(why)}</dd>" : "";
        return $"""
            <li class="approval" id="approval-{id}" data-approval-id="{id}">
            <article aria-labelledby="title-{id}">
            <h2 id="title-{id}">{Html.Encode(Title(action))} <span class="risk risk-{Html.Encode(approval.RiskLevel)}">{Html.Encode(approval.RiskLevel)} risk</span></h2>
            <dl>
            <dt>Task</dt><dd><span class="message">{Html.Encode(task?.Message ?? "(the task is not in the store)")}</span> <small>(task <a href="/tasks/{Html.Encode(approval.TaskId)}">{Html.Encode(approval.TaskId)}</a>)</small></dd>
            <dt>Why it asks</dt><dd class="reason">{Html.Encode(approval.Reason)}</dd>
            {modelReason}
            <dt>Approve forever allows</dt><dd class="scope">{Html.Revealed(approval.ForeverScope)}</dd>
            <dt>Waiting since</dt><dd><time datetime="{approval.CreatedAt:O}">{approval.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC</time></dd>
            <dt>Approval</dt><dd><code>{id}</code></dd>
            </dl>
            <h3>Proposed action</h3>
            {ProposedAction.Render(approval)}
            <form class="decide" method="post" action="/approvals/{id}/decision">
            <label for="comment-{id}">Comment (optional; with a deny, tell the agent what to do instead)</label>
            <textarea id="comment-{id}" name="comment" rows="2"></textarea>
            <div class="buttons">
            <button type="submit" class="primary" name="decision" value="allow_once">Approve once</button>
            <button type="submit" name="decision" value="allow_forever">Approve forever</button>
            <button type="submit" class="danger" name="decision" value="deny">Deny</button>
            </div>
            </form>
            <details class="edit">
            <summary>Edit then approve</summary>
            <form class="decide" method="post" action="/approvals/{id}/decision">
            <input type="hidden" name="decision" value="allow_once">
            {EditField(approval)}
            <p class="hint">The edited action is judged by the policy again before it runs.</p>
            <button type="submit" name="edited" value="true">Approve the edited action</button>
            </form>
            </details>
            </article>
            </li>
            """;
    }

    /// <summary>The one thing a person may change: the command, the file's content, or else the arguments as JSON.</summary>
    private static string EditField(Approval approval)
    {
        var id = Html.Encode(approval.ApprovalId);
        if (approval.Action.StringArg(ToolMetadata.Command) is { } command)
        {
            return $"""<label for="edit-{id}">Command</label><textarea id="edit-{id}" name="command" rows="2" spellcheck="false">{Html.Encode(command)}</textarea>""";
        }

        if (approval.Action.Tool == ToolNames.FsWrite && approval.Action.StringArg("content") is { } content)
        {
            return $"""<label for="edit-{id}">Content of {Html.Revealed(approval.Action.StringArg(ToolMetadata.Path))}</label><textarea id="edit-{id}" name="content" rows="8" spellcheck="false">{Html.Encode(content)}</textarea>""";
        }

        return $"""<label for="edit-{id}">Arguments (JSON)</label><textarea id="edit-{id}" name="args" rows="6" spellcheck="false">{Html.Encode(JsonText.Of(approval.Action.Args))}</textarea>""";
    }

    private static string Title(ToolAction action) => action.Tool switch
    {
        ToolNames.Shell => "Run a shell command",
        ToolNames.FsWrite => "Write a file",
        _ => $"Call {action.Tool}",
    };
}
