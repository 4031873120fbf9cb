using DuckWorker.Testing.Stores;

namespace DuckWorker.Sqlite.Tests;

public sealed class SqliteStoreKeepsTheStoreContract(SqliteStoreProvider provider)
    : StoreContract<SqliteStoreProvider>(provider), IClassFixture<SqliteStoreProvider>;
