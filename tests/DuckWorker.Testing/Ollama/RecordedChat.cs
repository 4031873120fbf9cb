using System.Text.Json;

namespace DuckWorker.Testing.Ollama;

/// <summary>A chat request as the test server received it, for assertions on what the worker sent.</summary>
public sealed record RecordedChat(
    string Model,
    bool Stream,
    IReadOnlyList<(string Role, string Content)> Messages,
    JsonElement? Format,
    JsonElement? Think,
    JsonElement? Options,
    string? KeepAlive)
{
    public int PromptChars => Messages.Sum(m => m.Content.Length);
}
