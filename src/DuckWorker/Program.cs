using DuckWorker.Hosting;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    // appsettings.json is linked into the output folder, so the worker finds it from any working directory.
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddDuckWorker();
await builder.Build().RunAsync();
