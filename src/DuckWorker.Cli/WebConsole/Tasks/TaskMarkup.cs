using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>What the task board and the task page share: their styles, a status in words, clipped text.</summary>
internal static class TaskMarkup
{
    public const string Style = """
        <style>
        .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-bottom: 1rem; }
        .filters > div { min-width: 9rem; flex: 1 1 9rem; }
        .filters select, .filters input { width: 100%; padding: .4rem; border: 1px solid var(--line); border-radius: 4px; }
        .filters .actions { flex: 0 0 auto; }
        ol.tasks, ol.memories, ol.rules { list-style: none; padding: 0; margin: 0; }
        ol.tasks > li, ol.memories > li, ol.rules > li { border-bottom: 1px solid var(--line); padding: .6rem 0; }
        .headline { margin: 0 0 .25rem; overflow-wrap: anywhere; }
        .meta { margin: 0; display: flex; flex-wrap: wrap; gap: .1rem 1.2rem; color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
        .badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; border: 1px solid currentColor; font-size: .85rem; white-space: nowrap; }
        .status-completed { color: #1a7f37; } .status-failed { color: var(--danger); } .status-waiting_for_approval { color: #9a6700; }
        ol.timeline { padding-left: 0; list-style: none; font-size: .92rem; }
        ol.timeline li { padding: .2rem 0; border-bottom: 1px dotted var(--line); overflow-wrap: anywhere; }
        ol.timeline .seq { display: inline-block; min-width: 2.2rem; color: var(--muted); }
        ol.timeline code { font-weight: 600; }
        h1, pre, .tool-call { overflow-wrap: anywhere; }
        section { margin: 1.2rem 0; }
        .tool-call { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .8rem; margin: .5rem 0; }
        .tool-call h3 { font-size: 1rem; margin: 0 0 .3rem; }
        form.inline { display: inline-block; margin: .25rem .5rem .25rem 0; }
        </style>
        """;

    public static string Status(AgentTaskStatus status) => status switch
    {
        AgentTaskStatus.Running => "running",
        AgentTaskStatus.WaitingForApproval => "waiting for approval",
        AgentTaskStatus.Completed => "completed",
        _ => "failed",
    };

    public static string Clip(string text, int chars)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= chars ? line : string.Concat(line.AsSpan(0, chars), "…");
    }
}
