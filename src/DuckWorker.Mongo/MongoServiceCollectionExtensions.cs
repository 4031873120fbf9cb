using DuckWorker.Mongo.Indexes;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DuckWorker.Mongo;

public static class MongoServiceCollectionExtensions
{
    /// <summary>
    /// The MongoDB store: every store port on one database (<c>Mongo:ConnectionString</c>, <c>Mongo:Database</c>),
    /// shared safely by any number of workers. Its indexes are created at start.
    /// </summary>
    public static IServiceCollection AddDuckMongo(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<MongoOptions>().BindConfiguration(MongoOptions.Section);
        services.AddSingleton<IValidateOptions<MongoOptions>, MongoOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MongoStore>();
        services.TryAddSingleton<StartupFailure>();
        services.AddHostedService<MongoStartup>();
        services.AddSingleton<ITaskStore, MongoTaskStore>();
        services.AddSingleton<IEventLog, MongoEventLog>();
        services.AddSingleton<IApprovalStore, MongoApprovalStore>();
        services.AddSingleton<IApprovalRuleStore, MongoApprovalRuleStore>();
        services.AddSingleton<MongoVectorSearch>();
        services.AddSingleton<IMemoryStore, MongoMemoryStore>();
        services.AddSingleton<IExperienceStore, MongoExperienceStore>();
        return services;
    }
}
