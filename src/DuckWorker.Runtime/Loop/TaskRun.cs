using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Loop;

/// <summary>
/// One task while the runtime works on it: the stored task, its journal, and the prompt so far. The prompt
/// only grows (context, then one message per round of observations), so every call's prefix is the previous
/// call's prompt and Ollama can reuse its KV cache.
/// </summary>
internal sealed class TaskRun(AgentTask task, TaskJournal journal)
{
    private readonly List<ConversationMessage> prompt = [.. task.Context];

    public AgentTask Task { get; set; } = task;

    public TaskJournal Journal { get; } = journal;

    public IReadOnlyList<ConversationMessage> Prompt => prompt;

    public ToolContext ToolContext => new(Task.TaskId, Task.Workspace ?? "");

    public void Observe(IEnumerable<ToolObservation> observations) =>
        prompt.Add(new ConversationMessage(
            ConversationMessage.User,
            "tool_observations:\n" + JsonText.Of(new System.Text.Json.Nodes.JsonArray([.. observations.Select(o => o.ToPromptJson())]))));
}
