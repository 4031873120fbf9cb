using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DuckWorker.Sqlite;

public static class SqliteServiceCollectionExtensions
{
    /// <summary>The embedded store: every store port on one SQLite file (<c>Sqlite:Path</c>).</summary>
    public static IServiceCollection AddDuckSqlite(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<SqliteOptions, SqliteOptionsValidator>().BindConfiguration(SqliteOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<ITaskStore, SqliteTaskStore>();
        services.AddSingleton<IEventLog, SqliteEventLog>();
        services.AddSingleton<IApprovalStore, SqliteApprovalStore>();
        services.AddSingleton<IApprovalRuleStore, SqliteApprovalRuleStore>();
        services.AddSingleton<IMemoryStore, SqliteMemoryStore>();
        services.AddSingleton<IExperienceStore, SqliteExperienceStore>();
        return services;
    }
}
