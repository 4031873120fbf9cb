using Microsoft.Extensions.Options;

namespace DuckWorker.Storage;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.IsSqlite || options.IsMongo
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Storage:Provider must be 'sqlite' (the embedded store, one file at Sqlite:Path) or 'mongo' (MongoDB at Mongo:ConnectionString); it is '{options.Provider}'.");
}
