using DuckWorker.Policy;
using DuckWorker.Runtime.Approvals;
using DuckWorker.Runtime.Context;
using DuckWorker.Runtime.Experience;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using DuckWorker.Runtime.Tools.Shell;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DuckWorker.Runtime;

public static class RuntimeServiceCollectionExtensions
{
    /// <summary>
    /// The runtime loop and everything it calls. The host adds the stores (one storage adapter) and one
    /// keyed <c>IChatClient</c> per model role.
    /// </summary>
    public static IServiceCollection AddDuckRuntime(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AgentLoopOptions, AgentLoopOptionsValidator>().BindConfiguration(AgentLoopOptions.Section);
        services.AddOptionsWithValidateOnStart<ToolsOptions, ToolsOptionsValidator>().BindConfiguration(ToolsOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<CommandPolicy>();
        services.AddSingleton<BubblewrapProbe>();
        services.AddSingleton<ShellSandbox>();
        services.AddSingleton<ShellRunner>();
        services.AddSingleton<ITool, ShellExecTool>();
        services.AddSingleton<ITool, FsReadTool>();
        services.AddSingleton<ITool, FsListTool>();
        services.AddSingleton<ITool, FsSearchTool>();
        services.AddSingleton<ITool, FsWriteTool>();
        services.AddSingleton<ToolGateway>();
        services.AddSingleton<Workspaces>();

        services.AddOptionsWithValidateOnStart<MemoryOptions, MemoryOptionsValidator>().BindConfiguration(MemoryOptions.Section);
        services.AddSingleton<ModelCallRecorder>();
        services.AddSingleton<ModelGateway>();
        services.AddSingleton<Embedder>();
        services.AddSingleton<MemoryRecall>();
        services.AddSingleton<ContextBuilder>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<ApprovalEdits>();
        services.AddSingleton<MemoryPolicy>();
        services.AddSingleton<Reflection>();
        services.AddSingleton<RuntimeLoop>();
        return services;
    }
}
