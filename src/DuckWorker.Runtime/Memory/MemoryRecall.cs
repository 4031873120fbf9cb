using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Memory;

/// <summary>
/// Recalls, before a job runs, what earlier tasks taught: the memories of its workspace and the global ones
/// closest in meaning to its message, and the most relevant reusable lessons, within <c>Memory:RecallBudget</c>.
/// Without a vector for the message it falls back to the most important, then newest, memories.
/// </summary>
public sealed class MemoryRecall(IMemoryStore memories, IExperienceStore experiences, Embedder embedder, IOptions<MemoryOptions> options)
{
    /// <summary>Memories the fallback ranks by importance; recent ones are enough to choose from.</summary>
    private const int FallbackCandidates = 200;

    public async Task<Recalled> RecallAsync(string message, string? workspace, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.RecallBudget == 0 || string.IsNullOrWhiteSpace(message))
        {
            return Recalled.Nothing;
        }

        var scope = workspace ?? "";
        var (vector, error) = await embedder.TryEmbedAsync(message, cancellationToken);
        if (vector is null)
        {
            var recent = await memories.ListAsync(scope, null, FallbackCandidates, cancellationToken);
            var important = recent
                .OrderByDescending(m => m.Importance)
                .ThenByDescending(m => m.UpdatedAt)
                .Take(settings.RecallTopK)
                .Select(m => new Scored<MemoryRecord>(m, 0));
            return new Recalled(Fit(important, m => m.Text, settings.RecallBudget, out _), [], error);
        }

        var embeddedBy = embedder.Name;
        var found = await memories.SearchAsync(scope, embeddedBy, vector, settings.RecallTopK, settings.MinScore, cancellationToken);
        var kept = Fit(found, m => m.Text, settings.RecallBudget, out var left);
        var lessons = settings.LessonTopK == 0
            ? []
            : await experiences.SearchLessonsAsync(embeddedBy, vector, settings.LessonTopK, settings.MinScore, cancellationToken);
        return new Recalled(kept, Fit(lessons, l => l.ReusableLesson ?? "", left, out _), null);
    }

    /// <summary>The best items that fit the character budget, in order; <paramref name="left"/> is what remains of it.</summary>
    private static List<Scored<T>> Fit<T>(IEnumerable<Scored<T>> items, Func<T, string> text, int budget, out int left)
    {
        var kept = new List<Scored<T>>();
        left = budget;
        foreach (var item in items)
        {
            var size = text(item.Item).Length;
            if (size > left)
            {
                continue;
            }

            kept.Add(item);
            left -= size;
        }

        return kept;
    }
}
