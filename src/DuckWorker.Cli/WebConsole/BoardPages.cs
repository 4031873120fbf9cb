using DuckWorker.Cli.WebConsole.Memories;
using DuckWorker.Cli.WebConsole.Rules;
using DuckWorker.Cli.WebConsole.Tasks;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Cli.WebConsole;

/// <summary>The pages over the store: the task board and task pages, memories and allow-forever rules.</summary>
internal static class BoardPages
{
    /// <param name="agent">The worker's services the console runs with: cancel and retry go through its runtime.</param>
    public static void Map(WebApplication app, IServiceProvider agent)
    {
        var services = app.Services;
        var store = new TaskReaders(
            services.GetRequiredService<ITaskStore>(),
            services.GetRequiredService<IEventLog>(),
            services.GetRequiredService<IApprovalStore>(),
            services.GetRequiredService<IMemoryStore>());
        TaskBoardPage.Map(app);
        TaskPage.Map(app, store, agent.GetRequiredService<RuntimeLoop>());
        TaskEventStream.Map(app, store);
        MemoriesPage.Map(app);
        RulesPage.Map(app);
    }
}
