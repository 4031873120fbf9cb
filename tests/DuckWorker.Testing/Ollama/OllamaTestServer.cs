using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Testing.Ollama;

/// <summary>
/// A server that speaks Ollama's wire protocol (<c>/api/chat</c> streamed and not, <c>/api/embed</c>,
/// <c>/api/tags</c>, <c>/api/version</c>) on 127.0.0.1 with a free port, answering from per-model scripts,
/// so that tests exercise the production OllamaSharp client.
/// </summary>
public sealed class OllamaTestServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<OllamaReply>> scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedChat> chats = new();
    private readonly ConcurrentQueue<(string Model, IReadOnlyList<string> Inputs)> embeds = new();
    private readonly ConcurrentQueue<ServedCall> served = new();
    private long latencyTicks;
    private long latencyCalls;

    // How late the timer ends a delay, as a moving average of the delays so far.
    private long timerLateness;

    private OllamaTestServer(WebApplication app)
    {
        this.app = app;
        app.MapPost("/api/chat", ChatAsync);
        app.MapPost("/api/embed", EmbedAsync);
        app.MapGet("/api/tags", () => Results.Json(new { models = Models.Select(name => new { name, model = name, modified_at = "2026-01-01T00:00:00Z", size = 1, digest = "0" }) }));
        app.MapGet("/api/version", () => Results.Json(new { version = "0.12.6" }));
        app.MapGet("/", () => Results.Text("Ollama is running"));
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>A latency added to every chat and embed call: this long on average, the timer's lateness made up for.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>
    /// The latency the server has added so far, as a clock measured it, and to how many calls: the model time a
    /// benchmark saw is this, not <see cref="Latency"/> times the calls.
    /// </summary>
    public (TimeSpan Total, long Calls) LatencyAdded => (TimeSpan.FromTicks(Interlocked.Read(ref latencyTicks)), Interlocked.Read(ref latencyCalls));

    /// <summary>Answers a chat for which no reply is scripted; by default such a chat gets a 500 naming the model.</summary>
    public Func<RecordedChat, OllamaReply>? Fallback { get; set; }

    /// <summary>When set, every embed call answers with this HTTP status instead of vectors.</summary>
    public int? EmbedFailure { get; set; }

    /// <summary>Fails with 500 each embed call whose inputs it holds true for: a model that cannot embed some texts.</summary>
    public Func<IReadOnlyList<string>, bool>? FailsToEmbed { get; set; }

    /// <summary>The models <c>/api/tags</c> lists.</summary>
    public IReadOnlyList<string> Models { get; set; } = [];

    public IReadOnlyList<RecordedChat> Chats => [.. chats];

    public IReadOnlyList<(string Model, IReadOnlyList<string> Inputs)> Embeds => [.. embeds];

    /// <summary>The chat and embed calls answered so far, in the order they ended, each with when it began and ended.</summary>
    public IReadOnlyList<ServedCall> Served => [.. served];

    public static async Task<OllamaTestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new OllamaTestServer(builder.Build());
        await server.app.StartAsync(cancellationToken);
        var address = server.app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Queues replies for a model; each chat for that model takes the next one, in order.</summary>
    public OllamaTestServer Script(string model, params OllamaReply[] replies)
    {
        var queue = scripts.GetOrAdd(model, _ => new ConcurrentQueue<OllamaReply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }

        return this;
    }

    /// <summary>How many scripted replies for the model have not been asked for yet.</summary>
    public int Pending(string model) => scripts.TryGetValue(model, out var queue) ? queue.Count : 0;

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private async Task ChatAsync(HttpContext context)
    {
        var began = Stopwatch.GetTimestamp();
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var chat = new RecordedChat(
            request["model"]?.GetValue<string>() ?? "",
            request["stream"]?.GetValue<bool>() ?? true,
            [.. (request["messages"] as JsonArray ?? []).OfType<JsonObject>().Select(m => (m["role"]?.GetValue<string>() ?? "", m["content"]?.GetValue<string>() ?? ""))],
            Element(request["format"]),
            Element(request["think"]),
            Element(request["options"]),
            request["keep_alive"]?.ToString());
        chats.Enqueue(chat);

        var reply = scripts.TryGetValue(chat.Model, out var queue) && queue.TryDequeue(out var next)
            ? next
            : Fallback?.Invoke(chat) ?? new OllamaReply { StatusCode = 500, Content = $"no scripted reply for model '{chat.Model}'" };
        await DelayAsync(reply, context.RequestAborted);
        await AnswerChatAsync(context, chat, reply);
        served.Enqueue(new ServedCall(chat.Model, began, Stopwatch.GetTimestamp()));
    }

    private static async Task AnswerChatAsync(HttpContext context, RecordedChat chat, OllamaReply reply)
    {
        if (reply.StatusCode != 200)
        {
            context.Response.StatusCode = reply.StatusCode;
            await context.Response.WriteAsJsonAsync(new { error = reply.Content }, context.RequestAborted);
            return;
        }

        var created = DateTimeOffset.UtcNow.ToString("O");
        if (!chat.Stream)
        {
            await context.Response.WriteAsJsonAsync(Done(chat.Model, created, reply, reply.Content, reply.Thinking), context.RequestAborted);
            return;
        }

        // Streamed: the answer in a few chunks, then the closing chunk with the counts, as Ollama sends them.
        context.Response.ContentType = "application/x-ndjson";
        foreach (var (content, thinking) in Chunks(reply))
        {
            var chunk = new JsonObject
            {
                ["model"] = chat.Model,
                ["created_at"] = created,
                ["message"] = Message(content, thinking),
                ["done"] = false,
            };
            await context.Response.WriteAsync(chunk.ToJsonString() + "\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await context.Response.WriteAsync(Done(chat.Model, created, reply, "", null).ToJsonString() + "\n", context.RequestAborted);
    }

    private async Task EmbedAsync(HttpContext context)
    {
        var began = Stopwatch.GetTimestamp();
        var request = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject ?? [];
        var model = request["model"]?.GetValue<string>() ?? "";
        IReadOnlyList<string> inputs = request["input"] switch
        {
            JsonArray many => [.. many.Select(i => i?.GetValue<string>() ?? "")],
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };
        embeds.Enqueue((model, inputs));
        await AddLatencyAsync(Latency, context.RequestAborted);
        if ((EmbedFailure ?? (FailsToEmbed?.Invoke(inputs) == true ? 500 : null)) is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = $"scripted embed failure {status}" }, context.RequestAborted);
        }
        else
        {
            await context.Response.WriteAsJsonAsync(
                new { model, embeddings = inputs.Select(DeterministicEmbedding.Of), total_duration = 1000, load_duration = 10, prompt_eval_count = inputs.Count },
                context.RequestAborted);
        }

        served.Enqueue(new ServedCall(model, began, Stopwatch.GetTimestamp()));
    }

    private async Task AddLatencyAsync(TimeSpan latency, CancellationToken aborted)
    {
        var started = Stopwatch.GetTimestamp();
        if (latency > TimeSpan.Zero)
        {
            // A timer ends its delay late, by about a millisecond here: asking it for that much less makes the
            // latency added, on average, the latency set, which is what a benchmark's ideal assumes.
            var asked = latency - TimeSpan.FromTicks(Math.Min(Interlocked.Read(ref timerLateness), latency.Ticks));
            await Task.Delay(asked, aborted);
            var late = (Stopwatch.GetElapsedTime(started) - asked).Ticks;
            var known = Interlocked.Read(ref timerLateness);
            Interlocked.CompareExchange(ref timerLateness, known + ((late - known) / 16), known);
        }

        Interlocked.Add(ref latencyTicks, Stopwatch.GetElapsedTime(started).Ticks);
        Interlocked.Increment(ref latencyCalls);
    }

    private async Task DelayAsync(OllamaReply reply, CancellationToken aborted)
    {
        await AddLatencyAsync(Latency + reply.Delay, aborted);
        if (reply.Hang)
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
    }

    private static JsonObject Done(string model, string created, OllamaReply reply, string content, string? thinking) => new()
    {
        ["model"] = model,
        ["created_at"] = created,
        ["message"] = Message(content, thinking),
        ["done"] = true,
        ["done_reason"] = "stop",
        ["total_duration"] = 5_000_000,
        ["load_duration"] = 1_000_000,
        ["prompt_eval_count"] = reply.PromptEvalCount,
        ["prompt_eval_duration"] = 2_000_000,
        ["eval_count"] = reply.EvalCount,
        ["eval_duration"] = 2_000_000,
    };

    private static JsonObject Message(string content, string? thinking)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
        if (thinking is not null)
        {
            message["thinking"] = thinking;
        }

        return message;
    }

    private static IEnumerable<(string Content, string? Thinking)> Chunks(OllamaReply reply)
    {
        if (reply.Thinking is { } thinking)
        {
            yield return ("", thinking);
        }

        var size = Math.Max(1, reply.Content.Length / 3);
        for (var start = 0; start < reply.Content.Length; start += size)
        {
            yield return (reply.Content.Substring(start, Math.Min(size, reply.Content.Length - start)), null);
        }
    }

    private static JsonElement? Element(JsonNode? node) =>
        node is null ? null : JsonSerializer.SerializeToElement(node);
}
