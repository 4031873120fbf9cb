using DuckWorker.Health;
using DuckWorker.Hosting;
using DuckWorker.Runtime.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

if (args.Contains(WorkerUsage.HelpArgument) || args.Contains("-h"))
{
    Console.Write(WorkerUsage.Help);
    return 0;
}

if (args.Contains(WorkerUsage.VersionArgument))
{
    Console.WriteLine(WorkerUsage.Version);
    return 0;
}

try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = args,
        // appsettings.json is linked into the output folder, so the worker finds it from any working directory.
        ContentRootPath = AppContext.BaseDirectory,
    });
    builder.AddDuckWorker();
    if (args.Contains(HealthProbe.Argument))
    {
        return await HealthProbe.RunAsync(builder.Configuration.GetValue(HealthOptions.Section + ":" + nameof(HealthOptions.Port), new HealthOptions().Port));
    }

    using var host = builder.Build();

    // Before the host starts, which would log the same errors with a stack trace of its own.
    host.Services.GetRequiredService<IStartupValidator>().Validate();
    var failure = host.Services.GetRequiredService<StartupFailure>();
    await host.RunAsync();
    if (failure.Reason is { } reason)
    {
        await Console.Error.WriteLineAsync($"DuckWorker cannot start: {reason}");
        return ConfigurationErrors.ExitCode;
    }

    return 0;
}
catch (Exception invalid) when (ConfigurationErrors.Of(invalid) is { Count: > 0 } errors)
{
    // Configuration is the operator's to fix: each wrong key in one line, not a stack trace.
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync($"DuckWorker cannot start: {error}");
    }

    return ConfigurationErrors.ExitCode;
}
