using System.Diagnostics;
using DuckWorker.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Storage;

/// <summary>
/// Has the SQLite store load its recall indexes (memories, lessons) when the worker starts, not in the first job:
/// each reads every vector on its first search (about 0.7 s at 100,000 memories). The searches ask for nothing:
/// no vector was made by their embedder.
/// </summary>
internal sealed class RecallWarmUp(IMemoryStore memories, IExperienceStore experiences, TimeProvider time, ILogger<RecallWarmUp> logger) : BackgroundService
{
    private const string NoEmbedder = "duck/warm-up";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        try
        {
            await memories.SearchAsync(workspace: "", NoEmbedder, new float[1], limit: 1, minScore: 1, stoppingToken);
            await experiences.SearchLessonsAsync(NoEmbedder, new float[1], limit: 1, minScore: 1, stoppingToken);
            logger.RecallWarmedUp(time.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The first job's recall meets the store's state and says it.
            logger.RecallNotWarmedUp(ex.Message);
        }
    }
}
