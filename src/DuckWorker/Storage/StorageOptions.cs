namespace DuckWorker.Storage;

/// <summary>The <c>Storage</c> section: which adapter keeps tasks, events, approvals and memories.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "sqlite";
    public const string Mongo = "mongo";

    /// <summary><c>sqlite</c> or <c>mongo</c>, in any case; empty is the default, <c>sqlite</c>.</summary>
    public string? Provider { get; set; } = Sqlite;

    public bool IsSqlite => string.IsNullOrEmpty(Provider) || string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase);

    public bool IsMongo => string.Equals(Provider, Mongo, StringComparison.OrdinalIgnoreCase);
}
