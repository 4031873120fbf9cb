using Microsoft.Extensions.Options;

namespace DuckWorker.Sqlite;

[OptionsValidator]
internal sealed partial class SqliteOptionsValidator : IValidateOptions<SqliteOptions>;
