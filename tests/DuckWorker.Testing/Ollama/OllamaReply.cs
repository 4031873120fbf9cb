using System.Text.Json;

namespace DuckWorker.Testing.Ollama;

/// <summary>One scripted answer of the Ollama test server.</summary>
public sealed record OllamaReply
{
    public string Content { get; init; } = "";

    public string? Thinking { get; init; }

    public int PromptEvalCount { get; init; } = 11;

    public int EvalCount { get; init; } = 7;

    /// <summary>An HTTP status other than 200 answers with Ollama's error body instead.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Extra wait before this answer, on top of the server's fixed latency.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Never answers; the request ends only when the client gives up.</summary>
    public bool Hang { get; init; }

    public static OllamaReply Text(string content, string? thinking = null) => new() { Content = content, Thinking = thinking };

    public static OllamaReply Json(object value) => new() { Content = JsonSerializer.Serialize(value) };

    /// <summary>An action directive: <c>{"actions": [...]}</c>.</summary>
    public static OllamaReply Actions(params object[] actions) => Json(new { actions });

    public static OllamaReply Error(int statusCode) => new() { StatusCode = statusCode, Content = $"scripted failure {statusCode}" };

    public static OllamaReply Hanging() => new() { Hang = true };
}
