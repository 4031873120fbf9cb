using System.Text.Json.Nodes;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Memory;

/// <summary>Asks the memory model whether a finished task taught something worth keeping, and keeps it.</summary>
public sealed class MemoryPolicy(ModelGateway models, Embedder embedder, IMemoryStore memories, IOptions<MemoryOptions> options, TimeProvider time)
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

    /// <summary>
    /// Keeps the decision's summary with its vector, in <paramref name="workspace"/>, or in the global scope when
    /// there is none (the task worked in a folder no later task shares, whatever scope the model chose). A near-duplicate in the same scope (similarity at least
    /// <c>Memory:DuplicateThreshold</c>) is updated instead of a second memory being added; without a vector
    /// the memory is added as it is.
    /// </summary>
    public async Task<StoredMemory> StoreAsync(AgentTask task, string? workspace, MemoryDecision decision, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (workspace is null)
        {
            decision = decision with { Scope = MemoryDecision.GlobalScope };
        }

        workspace ??= "";
        var (vector, error) = await embedder.TryEmbedAsync(decision.Summary, cancellationToken);
        string? embeddedBy = null;
        if (vector is not null)
        {
            embeddedBy = embedder.Name;
            var nearest = (await memories.SearchAsync(workspace, embeddedBy, vector, 1, options.Value.DuplicateThreshold, cancellationToken)).FirstOrDefault();
            if (nearest is { Item: var same } && same.Scope == decision.Scope)
            {
                var merged = same with
                {
                    Text = decision.Summary,
                    MemoryType = decision.MemoryType,
                    Importance = Math.Max(same.Importance, decision.Importance),
                    Metadata = (JsonObject)decision.Metadata.DeepClone(),
                    Embedding = vector,
                    EmbeddedBy = embeddedBy,
                    UpdatedAt = now,
                };
                await memories.UpdateAsync(merged, cancellationToken);
                return new StoredMemory(merged, true, nearest.Score, null);
            }
        }

        var memory = new MemoryRecord
        {
            MemoryId = Ids.New(),
            Workspace = workspace,
            Scope = decision.Scope,
            MemoryType = decision.MemoryType,
            Text = decision.Summary,
            Importance = decision.Importance,
            Metadata = (JsonObject)decision.Metadata.DeepClone(),
            TaskId = task.TaskId,
            CreatedAt = now,
            UpdatedAt = now,
            Embedding = vector,
            EmbeddedBy = embeddedBy,
        };
        await memories.AddAsync(memory, cancellationToken);
        return new StoredMemory(memory, false, null, error);
    }
}
