using DuckWorker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace DuckWorker.Cli;

/// <summary>
/// What every command runs with: its console, input, and the worker's configuration (the <c>appsettings.json</c>
/// next to <c>duck</c>, the <c>DUCK_</c> environment variables, then the command line's own settings).
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter errors, TextReader input, IReadOnlyDictionary<string, string?> settings)
{
    public IAnsiConsole Console { get; } = CreateConsole(output);

    public TextWriter Errors { get; } = errors;

    public TextReader Input { get; } = input;

    /// <summary>
    /// The worker's services on this configuration, without the broker: the store, the runtime and the Ollama
    /// roles. Invalid settings throw as at the worker's start; <see cref="DuckCommandLine"/> reports each naming its key.
    /// A command's <paramref name="defaults"/> sit under every source: any file, variable or argument overrides them.
    /// </summary>
    public IServiceProvider Agent(IReadOnlyDictionary<string, string?>? defaults = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddJsonFile(Path.Join(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        builder.AddDuckAgent();
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults ?? new Dictionary<string, string?>() });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        var services = builder.Build().Services;
        services.GetRequiredService<IStartupValidator>().Validate();
        return services;
    }

    /// <summary>
    /// A terminal gets colours and live progress; anything else (a pipe, a file, a test) plain text without line
    /// wrapping, so that scripts can read it.
    /// </summary>
    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 4096;
        }

        return console;
    }

    /// <summary>One setting, as the worker would read it.</summary>
    public IConfiguration Configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Join(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables(DuckWorkerHostBuilderExtensions.EnvironmentPrefix)
            .AddInMemoryCollection(settings);
        return configuration.Build();
    }
}
