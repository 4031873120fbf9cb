using DuckWorker.Diagnostics;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Embeddings;

/// <summary>
/// Says at start how many stored memories and lessons recall cannot find: those without a vector of the
/// embedder this worker uses (made by another embedder, before <c>Memory:Embedder</c> or the model changed, or
/// by none). Nothing fails for them, so without this line a changed setting would only show as a recall that
/// finds less.
/// </summary>
internal sealed class ReembedReminder(IMemoryStore memories, IExperienceStore experiences, Embedder embedder, ILogger<ReembedReminder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var embeddedBy = embedder.Name;
        try
        {
            var unfound = (await memories.ListIdsNotEmbeddedByAsync(embeddedBy, stoppingToken)).Count;
            var lessons = (await experiences.ListLessonIdsNotEmbeddedByAsync(embeddedBy, stoppingToken)).Count;
            if (unfound + lessons > 0)
            {
                logger.VectorsOfAnotherEmbedder(unfound, lessons, embeddedBy);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A reminder must not stop the worker: the jobs meet the store's state and say it.
            logger.VectorsUncounted(ex.Message);
        }
    }
}
