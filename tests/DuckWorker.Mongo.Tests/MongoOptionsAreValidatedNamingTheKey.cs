namespace DuckWorker.Mongo.Tests;

public sealed class MongoOptionsAreValidatedNamingTheKey
{
    [Fact]
    public void TheDefaultsAreValid()
    {
        Assert.True(new MongoOptionsValidator().Validate(null, new MongoOptions()).Succeeded);
    }

    [Theory]
    [InlineData("mongodb://localhost:27017")]
    [InlineData("mongodb://duck:secret@db1:27017,db2:27017/?replicaSet=rs0&w=majority")]
    [InlineData("mongodb+srv://duck:secret@cluster0.example.net/?retryWrites=true")]
    public void ConnectionStringsOfBothSchemesAreAccepted(string connectionString)
    {
        Assert.True(new MongoOptionsValidator().Validate(null, new MongoOptions { ConnectionString = connectionString }).Succeeded);
    }

    [Theory]
    [InlineData("", "Mongo:ConnectionString is required")]
    [InlineData("http://localhost:27017", "Mongo:ConnectionString must be a mongodb:// or mongodb+srv:// connection string")]
    [InlineData("mongodb://localhost/?connectTimeoutMS=soon", "Mongo:ConnectionString must be a mongodb:// or mongodb+srv:// connection string")]
    public void ABadConnectionStringIsNamed(string connectionString, string expected)
    {
        var result = new MongoOptionsValidator().Validate(null, new MongoOptions { ConnectionString = connectionString });

        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void TheErrorNeverShowsThePassword()
    {
        var result = new MongoOptionsValidator().Validate(null, new MongoOptions { ConnectionString = "mongodb://duck:hunter2@db:notaport" });

        Assert.Contains("Mongo:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("duck.worker")]
    [InlineData("duck worker")]
    [InlineData("duck/worker")]
    [InlineData("duck$")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public void ABadDatabaseNameIsNamed(string database)
    {
        var result = new MongoOptionsValidator().Validate(null, new MongoOptions { Database = database });

        Assert.Contains("Mongo:Database must be a database name", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("system.tasks")]
    [InlineData("ta$ks")]
    public void ABadCollectionNameIsNamed(string collection)
    {
        var result = new MongoOptionsValidator().Validate(null, new MongoOptions { ApprovalRulesCollection = collection });

        Assert.Contains("Mongo:ApprovalRulesCollection must be a collection name", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoStoresCannotShareACollection()
    {
        var result = new MongoOptionsValidator().Validate(null, new MongoOptions { EventsCollection = "tasks" });

        Assert.Contains("Mongo:EventsCollection and Mongo:TasksCollection both name the collection 'tasks'", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryErrorIsReportedAtOnce()
    {
        var result = new MongoOptionsValidator().Validate(null, new MongoOptions { ConnectionString = "", Database = "", MemoriesCollection = "" });

        Assert.Equal(3, result.Failures!.Count());
    }
}
