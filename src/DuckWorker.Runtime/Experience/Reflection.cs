using System.Text;
using System.Text.Json;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.AI;

namespace DuckWorker.Runtime.Experience;

/// <summary>
/// The critic's look back at a finished task: it reads the task's event log and records what happened and
/// the lesson worth reusing as an <see cref="ExperienceRecord"/>.
/// </summary>
public sealed class Reflection(ModelGateway models, Embedder embedder, IExperienceStore experiences, TimeProvider time)
{
    /// <summary>A long task's transcript keeps its start and its end; the middle matters least to a critic.</summary>
    public const int MaxTranscriptChars = 24 * 1024;

    private const string Instructions = """
        You are a critic reviewing the transcript of an agent's finished task. Say briefly what happened and
        whether it succeeded, and name one reusable lesson for similar future tasks if there is one (else null).
        Answer with JSON only: {"summary": "...", "outcome": "success" | "partial" | "failure", "reusable_lesson": "..." or null}
        """;

    private static readonly ChatOptions Options = new() { ResponseFormat = StructuredOutput.Reflection, Temperature = 0 };

    /// <summary>
    /// The record, stored with the lesson's vector so that later tasks can recall it; without a vector when
    /// the embedding model failed, and then with the reason.
    /// </summary>
    /// <exception cref="ModelCallException">The model failed or its answer is not a usable record.</exception>
    public async Task<(ExperienceRecord Record, string? EmbeddingError)> ReflectAsync(AgentTask task, IReadOnlyList<TaskEvent> events, CancellationToken cancellationToken)
    {
        ConversationMessage[] prompt =
        [
            new(ConversationMessage.System, Instructions),
            new(ConversationMessage.User, Transcript(events)),
        ];
        var response = await models.ChatAsync(ModelRoles.Critic, prompt, Options, cancellationToken);
        if (!ModelJson.TryReadObject(response.Content, out var json, out var error))
        {
            throw new ModelCallException(ModelRoles.Critic, error);
        }

        var summary = json["summary"]?.GetValueKind() == JsonValueKind.String ? json["summary"]!.GetValue<string>().Trim() : "";
        if (summary.Length == 0)
        {
            throw new ModelCallException(ModelRoles.Critic, "The reflection has no summary.");
        }

        var outcome = json["outcome"]?.GetValueKind() == JsonValueKind.String ? json["outcome"]!.GetValue<string>() : "";
        var lesson = json["reusable_lesson"]?.GetValueKind() == JsonValueKind.String ? json["reusable_lesson"]!.GetValue<string>().Trim() : null;
        var (vector, embeddingError) = string.IsNullOrEmpty(lesson) ? (null, null) : await embedder.TryEmbedAsync(lesson, cancellationToken);
        var record = new ExperienceRecord
        {
            RecordId = Ids.New(),
            TaskId = task.TaskId,
            Workspace = task.Workspace ?? "",
            Summary = summary,
            Outcome = outcome is "success" or "partial" or "failure" ? outcome : "partial",
            ReusableLesson = string.IsNullOrEmpty(lesson) ? null : lesson,
            CreatedAt = time.GetUtcNow(),
            LessonEmbedding = vector,
            LessonEmbeddedBy = vector is null ? null : embedder.Name,
        };
        await experiences.AddAsync(record, cancellationToken);
        return (record, embeddingError);
    }

    /// <summary>The seed's transcript, one line per event: <c>[event_type] {payload}</c>.</summary>
    internal static string Transcript(IReadOnlyList<TaskEvent> events)
    {
        var text = new StringBuilder();
        foreach (var entry in events)
        {
            text.Append('[').Append(entry.EventType).Append("] ").Append(JsonText.Of(entry.Payload)).Append('\n');
        }

        if (text.Length <= MaxTranscriptChars)
        {
            return text.ToString();
        }

        var half = MaxTranscriptChars / 2;
        return string.Concat(text.ToString(0, half), "\n…[transcript shortened]…\n", text.ToString(text.Length - half, half));
    }
}
