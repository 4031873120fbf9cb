using System.Text;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Context;

/// <summary>
/// Builds the prompt prefix of a task: the system prompt (with the skill summary and recalled memories), the
/// job's history and the user's message. The prefix is stored with the task and sent unchanged on every call,
/// so Ollama can reuse its KV cache across the action loop and after an approval.
/// </summary>
public sealed class ContextBuilder
{
    /// <summary>History beyond this many characters is dropped, oldest first, so a long conversation cannot crowd out the task.</summary>
    public const int MaxHistoryChars = 32 * 1024;

    /// <summary>Memories the job brought itself are bounded the same way (recalled ones by <c>Memory:RecallBudget</c>).</summary>
    public const int MaxMemoryChars = 8 * 1024;

    private const string Persona = """
        You are Duck, an agent that completes a user's task inside one workspace folder.
        You can inspect and change files of that workspace through tools; the results of tool calls are given
        to you as tool_observations. Base your answer on those observations, say plainly when a tool failed or
        an action was denied, and never claim to have done what no observation shows. An observation marked
        "blocked": true was refused on purpose by the command policy: it did not run and no approval can make it
        run, so tell the user it was refused and why instead of offering to retry it.
        """;

    public IReadOnlyList<ConversationMessage> Build(ChatRequest request, string? workspace, Recalled recalled)
    {
        var system = new StringBuilder(Persona);
        if (workspace is not null)
        {
            system.Append("\nWorkspace: ").Append(workspace).Append('\n');
        }

        if (!string.IsNullOrWhiteSpace(request.SkillSummary))
        {
            system.Append("\nSkills you have:\n").Append(request.SkillSummary.Trim()).Append('\n');
        }

        var remembered = request.Memories.Concat(recalled.Memories.Select(m => m.Item)).DistinctBy(m => m.MemoryId);
        var memories = Fit(remembered.Select(m => $"- ({m.MemoryType}) {m.Text}"), line => line, MaxMemoryChars, fromEnd: false);
        if (memories.Count > 0)
        {
            system.Append("\nWhat you remember from earlier tasks:\n").AppendJoin('\n', memories).Append('\n');
        }

        if (recalled.Lessons.Count > 0)
        {
            system.Append("\nLessons from earlier tasks:\n").AppendJoin('\n', recalled.Lessons.Select(l => $"- {l.Item.ReusableLesson}")).Append('\n');
        }

        var history = Fit(
            request.History.Where(m => m.Role is ConversationMessage.User or ConversationMessage.Assistant),
            m => m.Content,
            MaxHistoryChars,
            fromEnd: true);
        return [new ConversationMessage(ConversationMessage.System, system.ToString()), .. history, new ConversationMessage(ConversationMessage.User, request.Message)];
    }

    /// <summary>The items that fit the character budget: the last ones when <paramref name="fromEnd"/>, else the first ones, in their order.</summary>
    private static List<T> Fit<T>(IEnumerable<T> items, Func<T, string> text, int budget, bool fromEnd)
    {
        var kept = new List<T>();
        var used = 0;
        foreach (var item in fromEnd ? items.Reverse() : items)
        {
            used += text(item).Length;
            if (used > budget)
            {
                break;
            }

            kept.Add(item);
        }

        if (fromEnd)
        {
            kept.Reverse();
        }

        return kept;
    }
}
