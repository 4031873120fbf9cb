using DuckWorker.Testing.Stores;

namespace DuckWorker.Mongo.Tests;

public sealed class MongoStoreKeepsTheStoreContract(MongoStoreProvider provider)
    : StoreContract<MongoStoreProvider>(provider), IClassFixture<MongoStoreProvider>;
