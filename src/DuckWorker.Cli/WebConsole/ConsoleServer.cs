using DuckWorker.Cli.Broker;
using DuckWorker.Cli.Commands;
using DuckWorker.Cli.WebConsole.Inbox;
using DuckWorker.Cli.WebConsole.Tasks;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DuckWorker.Cli.WebConsole;

/// <summary>
/// The web console, running: a small ASP.NET Core app over the worker's store, deciding through the broker
/// like any other approver. Its login keys live in memory: a restart signs everyone out.
/// </summary>
internal sealed class ConsoleServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CliBroker broker;

    private ConsoleServer(WebApplication app, CliBroker broker, Uri url)
    {
        this.app = app;
        this.broker = broker;
        Url = url;
    }

    /// <summary>Where the console answers (with the port it got, when asked for port 0).</summary>
    public Uri Url { get; }

    /// <summary>Checks the options, connects to the store and the broker, then listens.</summary>
    public static async Task<ConsoleServer> StartAsync(CliContext cli, string bind, int port, CancellationToken cancellationToken)
    {
        var configuration = cli.Configuration();
        var options = ConsoleOptions.From(configuration, bind, port);
        var agent = cli.Agent();
        var broker = await CliBroker.ConnectAsync(configuration, cancellationToken);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(options.Bind, options.Port));
        builder.Services.AddRouting();
        // Decisions sent and failures, on the console's terminal; requests are not logged.
        builder.Logging.ClearProviders().AddSimpleConsole(console => console.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning).AddFilter("DuckWorker", LogLevel.Information)
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None); // a failed start is reported in one line below
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        builder.Services.AddSingleton<ConsoleAccess>();
        builder.Services.AddSingleton(broker);
        builder.Services.AddSingleton(agent.GetRequiredService<TimeProvider>());
        builder.Services.AddSingleton(agent.GetRequiredService<Workspaces>());
        builder.Services.AddSingleton(agent.GetRequiredService<IApprovalStore>());
        builder.Services.AddSingleton(agent.GetRequiredService<IApprovalRuleStore>());
        builder.Services.AddSingleton(agent.GetRequiredService<ITaskStore>());
        builder.Services.AddSingleton(agent.GetRequiredService<IEventLog>());
        builder.Services.AddSingleton(agent.GetRequiredService<IMemoryStore>());
        builder.Services.AddSingleton(agent.GetRequiredService<IExperienceStore>());
        builder.Services.AddSingleton(PendingApprovals.From(agent));
        builder.Services.AddSingleton<ConsoleDecisions>();
        builder.Services.AddSingleton<InboxSignal>();
        builder.Services.AddSingleton<TaskSignals>();
        builder.Services.AddHostedService<ConsoleFeed>();

        var app = builder.Build();
        app.Use(app.Services.GetRequiredService<ConsoleAccess>().InvokeAsync);
        LoginPage.Map(app);
        InboxPage.Map(app);
        BoardPages.Map(app, agent);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            await app.DisposeAsync();
            await broker.DisposeAsync();
            throw ex is IOException ? new CliException($"The web console cannot listen on {options.Bind}:{options.Port} (--bind, --port): {ex.Message}") : ex;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ConsoleServer(app, broker, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
        await broker.DisposeAsync();
    }
}
