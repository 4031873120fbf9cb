using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests;

/// <summary>Ollama answers for worker tests, by model role, whatever the order jobs arrive in.</summary>
internal static class Replies
{
    public static readonly OllamaReply NothingToRemember =
        OllamaReply.Json(new { should_store = false, summary = "", scope = "workspace", memory_type = "fact", importance = 0 });

    /// <summary>The memory model keeps <paramref name="summary"/> as a fact.</summary>
    public static OllamaReply Remember(string summary, string scope = "workspace", double importance = 0.5) =>
        OllamaReply.Json(new { should_store = true, summary, scope, memory_type = "fact", importance, metadata = new { } });

    public static readonly OllamaReply Reflected =
        OllamaReply.Json(new { summary = "Answered.", outcome = "success", reusable_lesson = (string?)null });

    /// <summary>No tools; the thinker answers "answer to &lt;the job's message&gt;".</summary>
    public static OllamaReply Answering(RecordedChat chat) => chat.Model switch
    {
        WorkerHarness.Action => OllamaReply.Actions(),
        WorkerHarness.Memory => NothingToRemember,
        WorkerHarness.Critic => Reflected,
        _ => OllamaReply.Text("answer to " + chat.Messages.Last(m => m.Role == "user" && !m.Content.StartsWith("tool_observations", StringComparison.Ordinal)).Content),
    };

    /// <summary>The action model asks to write the file named in the message (once); the thinker answers.</summary>
    public static OllamaReply Writing(RecordedChat chat)
    {
        if (chat.Model == WorkerHarness.Action && !chat.Messages.Any(m => m.Content.StartsWith("tool_observations", StringComparison.Ordinal)))
        {
            var message = chat.Messages.Last(m => m.Role == "user").Content;
            var file = message.Split(' ').Last();
            return OllamaReply.Actions(new { tool = "fs_write", args = new { path = file, content = "written by duck" }, reason = "the user asked" });
        }

        return Answering(chat);
    }

    /// <summary>The action model asks to run the command after "run " in the message (once); the thinker answers.</summary>
    public static OllamaReply Running(RecordedChat chat)
    {
        if (chat.Model == WorkerHarness.Action && !chat.Messages.Any(m => m.Content.StartsWith("tool_observations", StringComparison.Ordinal)))
        {
            var message = chat.Messages.Last(m => m.Role == "user").Content;
            return OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command = message[(message.IndexOf("run ", StringComparison.Ordinal) + 4)..] }, reason = "the user asked" });
        }

        return Answering(chat);
    }
}
