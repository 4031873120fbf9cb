using DuckWorker.Runtime.Models;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OllamaSharp;

namespace DuckWorker.Ollama;

public static class OllamaServiceCollectionExtensions
{
    /// <summary>
    /// One keyed <see cref="IChatClient"/> per chat model role, all on one <see cref="OllamaApiClient"/>:
    /// the role's model and options, then a timeout and retries around each call.
    /// </summary>
    public static IServiceCollection AddDuckOllama(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<OllamaOptions>().BindConfiguration(OllamaOptions.Section);
        services.AddSingleton<IValidateOptions<OllamaOptions>, OllamaOptionsValidator>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
            // Each attempt has its own timeout (Worker:ModelTimeout); HttpClient's 100 s default would cut long answers short.
            var http = new HttpClient { BaseAddress = options.BaseUrl, Timeout = Timeout.InfiniteTimeSpan };
            return new OllamaApiClient(http);
        });

        foreach (var role in ModelRoles.Chat)
        {
            services.AddKeyedChatClient(role, provider => provider.GetRequiredService<OllamaApiClient>())
                .Use((inner, provider) =>
                {
                    var ollama = provider.GetRequiredService<IOptions<OllamaOptions>>().Value;
                    var worker = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
                    var settings = ollama.Roles[role];
                    var configured = new ConfigureOptionsChatClient(inner, settings.ApplyTo);
                    return new ResilientChatClient(configured, worker.ModelTimeout, ollama.MaxRetries, ollama.RetryDelay, provider.GetRequiredService<TimeProvider>());
                });
        }

        return services;
    }
}
