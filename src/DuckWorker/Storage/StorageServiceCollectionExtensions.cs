using DuckWorker.Mongo;
using DuckWorker.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DuckWorker.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The store adapter <c>Storage:Provider</c> names; an unknown provider fails at start, naming the key.</summary>
    public static IServiceCollection AddDuckStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<StorageOptions, StorageOptionsValidator>().BindConfiguration(StorageOptions.Section);
        var storage = Storage(configuration);
        if (storage.IsSqlite)
        {
            services.AddDuckSqlite();
        }
        else if (storage.IsMongo)
        {
            services.AddDuckMongo();
        }

        return services;
    }

    /// <summary>
    /// The SQLite store's recall indexes (memories, lessons), loaded as the worker starts (<see cref="RecallWarmUp"/>).
    /// MongoDB keeps none in the worker: its vectors are ranked by Atlas, or read afresh for each search.
    /// </summary>
    public static IServiceCollection AddDuckRecallWarmUp(this IServiceCollection services, IConfiguration configuration)
    {
        if (Storage(configuration).IsSqlite)
        {
            services.AddHostedService<RecallWarmUp>();
        }

        return services;
    }

    private static StorageOptions Storage(IConfiguration configuration) =>
        new() { Provider = configuration.GetSection(StorageOptions.Section)[nameof(StorageOptions.Provider)] };
}
