using DuckWorker.Diagnostics;
using DuckWorker.Health;
using DuckWorker.Mongo;
using DuckWorker.Ollama;
using DuckWorker.RabbitMq;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.Shell;
using DuckWorker.Sqlite;
using DuckWorker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace DuckWorker.Hosting;

/// <summary>
/// Says at start, in one line, what the worker runs with (store, workspace root, models, broker, health port,
/// sandbox), then whether Ollama has the configured models: a missing model is named with the pull that brings
/// it, though the worker still starts (it may be pulled while the worker waits for jobs).
/// </summary>
internal sealed class StartupReport(
    IOptions<StorageOptions> storage,
    IOptions<SqliteOptions> sqlite,
    IOptions<MongoOptions> mongo,
    IOptions<ToolsOptions> tools,
    IOptions<OllamaOptions> ollama,
    IOptions<RabbitMqOptions> rabbit,
    IOptions<HealthOptions> health,
    ShellSandbox sandbox,
    ModelInventory models,
    ILogger<StartupReport> logger) : BackgroundService
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.StartingWith(
            Store(),
            Path.GetFullPath(tools.Value.WorkspaceRoot),
            string.Join(", ", ollama.Value.Roles.Select(role => $"{role.Key}={role.Value.Model}")),
            rabbit.Value.SafeUri,
            health.Value.Port == 0 ? "off" : health.Value.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{(sandbox.Confinement.Sandboxed ? "bubblewrap" : "none")} (Tools:Sandbox={tools.Value.Sandbox})");

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        limit.CancelAfter(Patience);
        try
        {
            foreach (var missing in await models.FindMissingAsync(limit.Token))
            {
                logger.ModelMissing(ollama.Value.BaseUrl!, missing.ToString());
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            logger.ModelsUnchecked(ollama.Value.BaseUrl!, ex.Message);
        }
    }

    private string Store()
    {
        if (storage.Value.IsMongo)
        {
            var url = MongoUrl.Create(mongo.Value.ConnectionString);
            return $"mongo, database {mongo.Value.Database} at {string.Join(",", url.Servers)}";
        }

        return $"sqlite, {Path.GetFullPath(sqlite.Value.Path)}";
    }
}
