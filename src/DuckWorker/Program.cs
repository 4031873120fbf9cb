using DuckWorker.Health;
using DuckWorker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
try
{
    // Before the host starts, which would log the same errors with a stack trace of its own.
    host.Services.GetRequiredService<IStartupValidator>().Validate();
}
catch (Exception invalid) when (ConfigurationErrors.Of(invalid) is { Count: > 0 } errors)
{
    // Configuration is the operator's to fix: each wrong key in one line, not a stack trace.
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync($"DuckWorker cannot start: {error}");
    }

    return 78; // EX_CONFIG
}

await host.RunAsync();
return 0;
