using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.AI;

namespace DuckWorker.Runtime.Memory;

/// <summary>Asks the memory model whether a finished task taught something worth keeping, and keeps it.</summary>
public sealed class MemoryPolicy(ModelGateway models, IMemoryStore memories, TimeProvider time)
{
    private const string Instructions = """
        You decide whether a finished task taught something worth remembering for future tasks: a durable fact
        about the user's projects, a preference, or a procedure that worked. Do not store small talk, one-off
        answers, secrets, passwords or tokens. Answer with JSON only:
        {"should_store": bool, "summary": "<one or two sentences to remember, empty when not storing>",
         "scope": "workspace" (only useful in this workspace) or "global", "memory_type": "fact" | "preference" |
         "procedure" | "project", "importance": 0..1, "metadata": {}}
        """;

    private static readonly ChatOptions Options = new() { ResponseFormat = StructuredOutput.MemoryDecision, Temperature = 0 };

    /// <exception cref="ModelCallException">The model failed or its answer is not a usable decision.</exception>
    public async Task<MemoryDecision> ClassifyAsync(AgentTask task, string finalResponse, CancellationToken cancellationToken)
    {
        ConversationMessage[] prompt =
        [
            new(ConversationMessage.System, Instructions),
            new(ConversationMessage.User, $"Task:\n{task.Message}\n\nFinal answer:\n{finalResponse}"),
        ];
        var response = await models.ChatAsync(ModelRoles.Memory, prompt, Options, cancellationToken);
        if (!ModelJson.TryReadObject(response.Content, out var json, out var error)
            || !MemoryDecision.TryRead(json, out var decision, out error))
        {
            throw new ModelCallException(ModelRoles.Memory, error);
        }

        return decision;
    }

    public async Task<MemoryRecord> StoreAsync(AgentTask task, MemoryDecision decision, CancellationToken cancellationToken)
    {
        var memory = new MemoryRecord
        {
            MemoryId = Ids.New(),
            Workspace = task.Workspace ?? "",
            Scope = decision.Scope,
            MemoryType = decision.MemoryType,
            Text = decision.Summary,
            Importance = decision.Importance,
            Metadata = (System.Text.Json.Nodes.JsonObject)decision.Metadata.DeepClone(),
            TaskId = task.TaskId,
            CreatedAt = time.GetUtcNow(),
        };
        await memories.AddAsync(memory, cancellationToken);
        return memory;
    }
}
