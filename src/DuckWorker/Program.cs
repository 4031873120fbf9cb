using DuckWorker.Health;
using DuckWorker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

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

await builder.Build().RunAsync();
return 0;
