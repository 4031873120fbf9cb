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
        var storage = new StorageOptions { Provider = configuration.GetSection(StorageOptions.Section)[nameof(StorageOptions.Provider)] };
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
}
