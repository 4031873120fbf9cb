using System.Text.Json;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Testing.Soak;

/// <summary>
/// The models of the soak, by role, decided from the prompt alone so that any run of a task (a first run,
/// a resumption after a kill, a continuation after a decision) gets the answer that fits where it stands.
/// </summary>
public static class SoakReplies
{
    public const string Thinker = "soak-thinker";
    public const string Action = "soak-action";
    public const string Critic = "soak-critic";
    public const string Memory = "soak-memory";
    public const string Embedding = "soak-embedding";

    private const string Observations = "tool_observations";

    public static OllamaReply Answer(RecordedChat chat) => chat.Model switch
    {
        Action => NextAction(chat),
        Memory => OllamaReply.Json(new { should_store = false, summary = "", scope = "workspace", memory_type = "fact", importance = 0 }),
        Critic => OllamaReply.Json(new { summary = "Answered.", outcome = "success", reusable_lesson = (string?)null }),
        _ => OllamaReply.Text("done"),
    };

    /// <summary>
    /// The next step is the first whose observation index is not in the prompt yet. An observation counts
    /// whatever it says (ran, failed, denied, interrupted), so that no step is ever asked for twice: a tool
    /// call that runs twice is the worker's doing, never the model's.
    /// </summary>
    private static OllamaReply NextAction(RecordedChat chat)
    {
        var copy = chat.Messages.Any(m => m.Role == "user" && m.Content.StartsWith("soak ", StringComparison.Ordinal) && m.Content.EndsWith(" copy", StringComparison.Ordinal));
        var seen = SeenIndices(chat);
        var next = Enumerable.Range(1, copy ? SoakJob.Steps : 1).FirstOrDefault(step => !seen.Contains(step));
        return next == 0
            ? OllamaReply.Actions()
            : OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command = SoakJob.Command(next) }, reason = $"step {next}" });
    }

    private static HashSet<int> SeenIndices(RecordedChat chat)
    {
        var seen = new HashSet<int>();
        foreach (var (_, content) in chat.Messages)
        {
            var start = content.IndexOf(Observations + ":", StringComparison.Ordinal);
            if (start < 0)
            {
                continue;
            }

            try
            {
                using var observations = JsonDocument.Parse(content[(start + Observations.Length + 1)..]);
                foreach (var observation in observations.RootElement.EnumerateArray())
                {
                    if (observation.TryGetProperty("index", out var index) && index.TryGetInt32(out var number))
                    {
                        seen.Add(number);
                    }
                }
            }
            catch (JsonException)
            {
                // Not an observation list after all: it names no step.
            }
        }

        return seen;
    }
}
